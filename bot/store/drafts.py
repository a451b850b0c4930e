"""Rows answered step by step (trigger entries, repair plans): drafts, then the finished row.

A row starts as a ``draft``, gets its answers written as they arrive, and ends ``completed``
(or ``closed`` when put aside). Every read and write takes the user's id and only ever touches
that user's rows, so an id taken from callback data can never reach someone else's row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlmodel import col, select

from bot.models import (
    NoticedMoment,
    PracticeLog,
    PracticePlan,
    PracticeRung,
    RepairPlan,
    TriggerEntry,
)
from bot.store.db import Database

DRAFT, COMPLETED, CLOSED = "draft", "completed", "closed"
MAX_ID = 2**31 - 1  # ids are INTEGER columns; larger values (forged data) match nothing
#: Columns no caller sets: which row it is, whose, for which day, and when it was written.
FIXED = frozenset({"id", "user_id", "local_date", "created_at", "updated_at"})

Row = TypeVar(
    "Row", TriggerEntry, RepairPlan, NoticedMoment, PracticeRung, PracticeLog, PracticePlan
)
#: The rows that name a person (``person``): one list of labels across the features.
Named = TypeVar("Named", TriggerEntry, RepairPlan, NoticedMoment, PracticeLog, PracticePlan)


class DraftTable(Generic[Row]):
    """The draft lifecycle of one table; its store module exposes these as functions."""

    def __init__(self, model: type[Row]) -> None:
        self.model: type[Row] = model
        #: Every column but the fixed ones: the answers, ``step``, ``status`` and the like.
        self.settable = frozenset(model.__table__.c.keys()) - FIXED  # type: ignore[attr-defined]

    def create(self, db: Database, user_id: int, local_date: date, now: datetime) -> Row:
        return db.add(
            self.model(
                user_id=user_id, local_date=local_date, status=DRAFT, created_at=now, updated_at=now
            )
        )

    def get(self, db: Database, user_id: int, row_id: int) -> Row | None:
        """The row if it exists and belongs to ``user_id``; None otherwise."""
        if not 0 < row_id <= MAX_ID:
            return None
        with db.session() as s:
            row = s.get(self.model, row_id)
            return row if row is not None and row.user_id == user_id else None

    def latest_draft(self, db: Database, user_id: int) -> Row | None:
        m = self.model
        with db.session() as s:
            return s.exec(
                select(m)
                .where(col(m.user_id) == user_id, col(m.status) == DRAFT)
                .order_by(col(m.updated_at).desc(), col(m.id).desc())
                .limit(1)
            ).first()

    def update(
        self, db: Database, user_id: int, row_id: int, now: datetime, **fields: Any
    ) -> Row | None:
        """Set fields of the user's row; None if it is not theirs (or gone)."""
        unknown = set(fields) - self.settable
        if unknown:
            raise ValueError(f"not settable: {sorted(unknown)}")
        if not 0 < row_id <= MAX_ID:
            return None
        with db.session() as s:
            row = s.get(self.model, row_id)
            if row is None or row.user_id != user_id:
                return None
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now
            s.add(row)
            s.flush()
            return row

    def close_drafts(self, db: Database, user_id: int, now: datetime) -> int:
        """Put every draft of the user aside (status closed); returns how many."""
        m = self.model
        with db.session() as s:
            drafts = s.exec(
                select(m).where(col(m.user_id) == user_id, col(m.status) == DRAFT)
            ).all()
            for row in drafts:
                row.status = CLOSED
                row.updated_at = now
                s.add(row)
            return len(drafts)

    def completed_between(self, db: Database, user_id: int, first: date, last: date) -> list[Row]:
        """Completed rows with ``first <= local_date <= last``, oldest first (for summaries)."""
        m = self.model
        with db.session() as s:
            return list(
                s.exec(
                    select(m)
                    .where(
                        col(m.user_id) == user_id,
                        col(m.status) == COMPLETED,
                        col(m.local_date) >= first,
                        col(m.local_date) <= last,
                    )
                    .order_by(col(m.local_date), col(m.id))
                ).all()
            )


class PeopleTable(DraftTable[Named]):
    """A draft table whose rows name a person: their labels, and renaming one."""

    def recent_people(self, db: Database, user_id: int, limit: int = 50) -> list[tuple[int, str]]:
        """(row id, person label) of the user's latest rows that name someone, newest first.

        Labels may be encrypted at rest, so de-duplication happens in Python, not in SQL.
        """
        m = self.model
        with db.session() as s:
            rows = s.exec(
                select(m.id, m.person)
                .where(col(m.user_id) == user_id, col(m.person).is_not(None))
                .order_by(col(m.updated_at).desc(), col(m.id).desc())
                .limit(limit)
            ).all()
        return [(int(row_id), str(person)) for row_id, person in rows if row_id is not None]

    def relabel(
        self, db: Database, user_id: int, same: Callable[[str], bool], label: str, now: datetime
    ) -> int:
        """Name ``label`` on every row of the user whose person ``same`` accepts; how many.

        Labels may be encrypted at rest, so they are compared in Python, not in SQL."""
        m = self.model
        with db.session() as s:
            rows = s.exec(
                select(m).where(col(m.user_id) == user_id, col(m.person).is_not(None))
            ).all()
            changed = 0
            for row in rows:
                if row.person is not None and row.person != label and same(row.person):
                    row.person = label
                    row.updated_at = now
                    s.add(row)
                    changed += 1
            return changed

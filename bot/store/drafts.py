"""Rows answered step by step (trigger entries, repair plans): drafts, then the finished row.

A row starts as a ``draft``, gets its answers written as they arrive, and ends ``completed``
(or ``closed`` when put aside). Every read and write takes the user's id and only ever touches
that user's rows, so an id taken from callback data can never reach someone else's row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, Generic, TypeVar

from sqlalchemy import bindparam, literal, union_all
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import col, select

from bot.models import (
    NoticedMoment,
    PracticeLog,
    PracticePlan,
    PracticeRung,
    RepairPlan,
    TriggerEntry,
    User,
)
from bot.store import conversations
from bot.store.db import Database, snapshot
from bot.store.users import U

DRAFT, COMPLETED, CLOSED = "draft", "completed", "closed"
MAX_ID = 2**31 - 1  # ids are INTEGER columns; larger values (forged data) match nothing
#: Columns no caller sets: which row it is, whose, for which day, and when it was written.
FIXED = frozenset({"id", "user_id", "local_date", "created_at", "updated_at"})

Row = TypeVar(
    "Row", TriggerEntry, RepairPlan, NoticedMoment, PracticeRung, PracticeLog, PracticePlan
)
#: The rows that name a person (``person``): one list of labels across the features.
Named = TypeVar("Named", TriggerEntry, RepairPlan, NoticedMoment, PracticeLog, PracticePlan)


def newest_draft(table: Any, user_id: Any, by: str = "updated_at") -> Any:
    """SQL: the user's open draft in ``table``: their latest by ``by``, should there be two."""
    return (
        table.select()
        .where(table.c.user_id == user_id, table.c.status == DRAFT)
        .order_by(table.c[by].desc(), table.c.id.desc())
        .limit(1)
    )


class DraftTable(Generic[Row]):
    """The draft lifecycle of one table; its store module exposes these as functions.

    A step of a conversation reads the user and their draft in one statement
    (``user_and_draft``) and writes its answer in one (``update``: an UPDATE … RETURNING),
    as the check-ins do (store/checkins.py): single statements in autocommit, rows coming
    back as read-only snapshots. The conversation's next state rides along with the answer
    when the engine carries it (bot/store/conversations.py ``carrying``).
    """

    def __init__(self, model: type[Row]) -> None:
        self.model: type[Row] = model
        table = model.__table__  # type: ignore[attr-defined]
        self.table = table
        #: Every column but the fixed ones: the answers, ``step``, ``status`` and the like.
        self.settable = frozenset(table.c.keys()) - FIXED
        self._latest = newest_draft(table, bindparam("user_id"))
        # (Its values named: an INSERT taking the execution's parameters can't go in a WITH.)
        values: dict[str, Any] = {c.name: bindparam(c.name) for c in table.c if c.name != "id"}
        self._insert = table.insert().values(values).returning(*table.c)
        self._get = table.select().where(
            table.c.id == bindparam("id"), table.c.user_id == bindparam("user_id")
        )
        latest = table.alias("latest")
        newest_id = (
            newest_draft(latest, U.c.id)
            .with_only_columns(latest.c.id)
            .correlate(U)
            .scalar_subquery()
        )
        self._user_and_draft = (
            select(
                *(c.label(f"u_{c.name}") for c in U.c), *(c.label(f"d_{c.name}") for c in table.c)
            )
            .select_from(U.outerjoin(table, table.c.id == newest_id))
            .where(U.c.id == bindparam("user_id"))
        )

    @cache  # noqa: B019 (one per table and set of fields, for the life of the process)
    def _update(self, fields: frozenset[str]) -> Any:
        t = self.table
        return (
            sa_update(t)
            .where(t.c.id == bindparam("_id"), t.c.user_id == bindparam("_user_id"))
            .values(
                {
                    **{name: bindparam(name) for name in sorted(fields)},
                    "updated_at": bindparam("_now"),
                }
            )
            .returning(*t.c)
        )

    def create(self, db: Database, user_id: int, local_date: date, now: datetime) -> Row:
        """A new draft (one INSERT … RETURNING, no ORM session; with the conversation state
        being carried, if any: bot/store/conversations.py)."""
        values = self.model(
            user_id=user_id, local_date=local_date, status=DRAFT, created_at=now, updated_at=now
        ).model_dump(exclude={"id"})
        # An INSERT is not run twice on a dropped connection (it would add a second row).
        row = conversations.write(db, self._insert, values, retry=False)
        return snapshot(self.model, row)

    def get(self, db: Database, user_id: int, row_id: int) -> Row | None:
        """The row if it exists and belongs to ``user_id``; None otherwise (one statement, a
        read-only snapshot)."""
        if not 0 < row_id <= MAX_ID:
            return None
        row = db.single(self._get, {"id": row_id, "user_id": user_id})
        return None if row is None else snapshot(self.model, row)

    def latest_draft(self, db: Database, user_id: int) -> Row | None:
        """The user's open draft (the latest), as a read-only snapshot."""
        row = db.single(self._latest, {"user_id": user_id})
        return None if row is None else snapshot(self.model, row)

    def user_and_draft(self, db: Database, user_id: int) -> tuple[User, Row | None] | None:
        """The user's row and their open draft (as ``latest_draft``) in one statement, as
        read-only snapshots; None if the user is unknown."""
        row = db.single(self._user_and_draft, {"user_id": user_id})
        if row is None:
            return None
        user = snapshot(User, {c.name: row[f"u_{c.name}"] for c in U.c})
        if row["d_id"] is None:
            return user, None
        return user, snapshot(self.model, {c.name: row[f"d_{c.name}"] for c in self.table.c})

    def update(
        self, db: Database, user_id: int, row_id: int, now: datetime, **fields: Any
    ) -> Row | None:
        """Set fields of the user's row; None if it is not theirs (or gone)."""
        unknown = set(fields) - self.settable
        if unknown:
            raise ValueError(f"not settable: {sorted(unknown)}")
        if not 0 < row_id <= MAX_ID:
            return None
        # One statement, safe to run twice (the same values again) on a dropped connection.
        params = {**fields, "_id": row_id, "_user_id": user_id, "_now": now}
        row = conversations.write(db, self._update(frozenset(fields)), params)
        return None if row is None else snapshot(self.model, row)

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

    def recent_select(self, source: str, order: int) -> Any:
        """The user's latest rows that name someone, newest first, as a part of
        ``people_everywhere``'s one statement. Labels may be encrypted at rest, so
        de-duplication happens in Python, not in SQL."""
        table = self.table
        return (
            sa_select(
                literal(source).label("source"),
                literal(order).label("part"),
                table.c.id,
                table.c.person,
                table.c.updated_at,
            )
            .where(table.c.user_id == bindparam("user_id"), table.c.person.is_not(None))
            .order_by(table.c.updated_at.desc(), table.c.id.desc())
            .limit(bindparam("limit"))
            .subquery(f"recent_{source}")
        )

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


@cache
def _everywhere(tables: tuple[tuple[str, PeopleTable[Any]], ...]) -> Any:
    parts = [table.recent_select(source, order) for order, (source, table) in enumerate(tables)]
    union = union_all(*(sa_select(*part.c) for part in parts)).subquery("recent")
    return sa_select(union.c.source, union.c.id, union.c.person).order_by(
        union.c.part, union.c.updated_at.desc(), union.c.id.desc()
    )


def people_everywhere(
    db: Database, tables: tuple[tuple[str, PeopleTable[Any]], ...], user_id: int, limit: int = 50
) -> list[tuple[str, int, str]]:
    """(source, row id, person label) of the user's latest rows that name someone in each of
    ``tables`` (source letter, table): each table's as ``recent_select``, in the order of
    ``tables``, in one statement (every "who was it?" question reads them all)."""
    rows = db.every(_everywhere(tables), {"user_id": user_id, "limit": limit})
    return [(str(r["source"]), int(r["id"]), str(r["person"])) for r in rows]

"""Trigger entries (thought records): drafts answered step by step, then completed.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's entry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from bot.models import TriggerEntry
from bot.store.db import Database

DRAFT, COMPLETED, CLOSED = "draft", "completed", "closed"
MAX_ID = 2**31 - 1  # ids are INTEGER columns; larger values (forged data) match nothing

ANSWER_FIELDS = frozenset(
    {
        "situation",
        "emotions",
        "intensity_before",
        "body",
        "story",
        "distortions",
        "evidence_for",
        "evidence_against",
        "balanced",
        "action_id",
        "action",
        "intensity_after",
        "person",
        "context",
    }
)
SETTABLE = ANSWER_FIELDS | {"step", "status", "completed_at"}


def create(db: Database, user_id: int, local_date: date, now: datetime) -> TriggerEntry:
    with db.session() as s:
        entry = TriggerEntry(
            user_id=user_id, local_date=local_date, status=DRAFT, created_at=now, updated_at=now
        )
        s.add(entry)
        s.flush()
        return entry


def get(db: Database, user_id: int, entry_id: int) -> TriggerEntry | None:
    """The entry if it exists and belongs to ``user_id``; None otherwise."""
    if not 0 < entry_id <= MAX_ID:
        return None
    with db.session() as s:
        entry = s.get(TriggerEntry, entry_id)
        return entry if entry is not None and entry.user_id == user_id else None


def latest_draft(db: Database, user_id: int) -> TriggerEntry | None:
    with db.session() as s:
        return s.exec(
            select(TriggerEntry)
            .where(col(TriggerEntry.user_id) == user_id, col(TriggerEntry.status) == DRAFT)
            .order_by(col(TriggerEntry.updated_at).desc(), col(TriggerEntry.id).desc())
            .limit(1)
        ).first()


def update(
    db: Database, user_id: int, entry_id: int, now: datetime, **fields: Any
) -> TriggerEntry | None:
    """Set fields of the user's entry; None if it is not theirs (or gone)."""
    unknown = set(fields) - SETTABLE
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    if not 0 < entry_id <= MAX_ID:
        return None
    with db.session() as s:
        entry = s.get(TriggerEntry, entry_id)
        if entry is None or entry.user_id != user_id:
            return None
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_at = now
        s.add(entry)
        s.flush()
        return entry


def close_drafts(db: Database, user_id: int, now: datetime) -> int:
    """Put every draft of the user aside (status closed); returns how many."""
    with db.session() as s:
        drafts = s.exec(
            select(TriggerEntry).where(
                col(TriggerEntry.user_id) == user_id, col(TriggerEntry.status) == DRAFT
            )
        ).all()
        for entry in drafts:
            entry.status = CLOSED
            entry.updated_at = now
            s.add(entry)
        return len(drafts)


def recent_people(db: Database, user_id: int, limit: int = 50) -> list[tuple[int, str]]:
    """(entry id, person label) of the user's latest entries that name someone, newest first.

    Labels may be encrypted at rest, so de-duplication happens in Python, not in SQL.
    """
    with db.session() as s:
        rows = s.exec(
            select(TriggerEntry.id, TriggerEntry.person)
            .where(col(TriggerEntry.user_id) == user_id, col(TriggerEntry.person).is_not(None))
            .order_by(col(TriggerEntry.updated_at).desc(), col(TriggerEntry.id).desc())
            .limit(limit)
        ).all()
    return [(int(entry_id), str(person)) for entry_id, person in rows if entry_id is not None]


def completed_between(db: Database, user_id: int, first: date, last: date) -> list[TriggerEntry]:
    """Completed entries with ``first <= local_date <= last``, oldest first (for summaries)."""
    with db.session() as s:
        return list(
            s.exec(
                select(TriggerEntry)
                .where(
                    col(TriggerEntry.user_id) == user_id,
                    col(TriggerEntry.status) == COMPLETED,
                    col(TriggerEntry.local_date) >= first,
                    col(TriggerEntry.local_date) <= last,
                )
                .order_by(col(TriggerEntry.local_date), col(TriggerEntry.id))
            ).all()
        )

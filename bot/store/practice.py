"""The closeness ladder (/practice): rungs, practices logged and practices planned, each a
draft answered step by step, then completed (bot/store/drafts.py).

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's rung, practice or plan.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam

from bot.models import PracticeLog, PracticePlan, PracticeRung
from bot.store import drafts
from bot.store.db import Database, snapshot

DRAFT, COMPLETED, CLOSED = drafts.DRAFT, drafts.COMPLETED, drafts.CLOSED

RUNGS = drafts.DraftTable(PracticeRung)
LOGS = drafts.PeopleTable(PracticeLog)
PLANS = drafts.PeopleTable(PracticePlan)


_R = PracticeRung.__table__  # type: ignore[attr-defined]
_L = PracticeLog.__table__  # type: ignore[attr-defined]
_LADDER = (
    _R.select()
    .where(_R.c.user_id == bindparam("user_id"), _R.c.status == COMPLETED)
    .order_by(_R.c.created_at, _R.c.id)
)
_LOGS = (
    _L.select()
    .where(_L.c.user_id == bindparam("user_id"), _L.c.status == COMPLETED)
    .order_by(_L.c.completed_at.desc(), _L.c.id.desc())
    .limit(bindparam("limit"))
)


def ladder(db: Database, user_id: int) -> list[PracticeRung]:
    """The user's finished rungs, oldest first (the service orders them by distress); one
    statement, read-only snapshots (a practice's steps read the ladder)."""
    rows = db.every(_LADDER, {"user_id": user_id})
    return [snapshot(PracticeRung, row) for row in rows]


def logs(db: Database, user_id: int, limit: int = 500) -> list[PracticeLog]:
    """The user's logged practices, oldest first (the latest ``limit``); one statement,
    read-only snapshots."""
    rows = db.every(_LOGS, {"user_id": user_id, "limit": limit})
    return [snapshot(PracticeLog, row) for row in reversed(rows)]


def logs_between(db: Database, user_id: int, first: date, last: date) -> list[PracticeLog]:
    """Practices logged with ``first <= local_date <= last``, oldest first."""
    return LOGS.completed_between(db, user_id, first, last)

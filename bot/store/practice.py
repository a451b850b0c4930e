"""The closeness ladder (/practice): rungs, practices logged and practices planned, each a
draft answered step by step, then completed (bot/store/drafts.py).

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's rung, practice or plan.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from bot.models import PracticeLog, PracticePlan, PracticeRung
from bot.store import drafts
from bot.store.db import Database

DRAFT, COMPLETED, CLOSED = drafts.DRAFT, drafts.COMPLETED, drafts.CLOSED

RUNGS = drafts.DraftTable(PracticeRung)
LOGS = drafts.PeopleTable(PracticeLog)
PLANS = drafts.PeopleTable(PracticePlan)


def ladder(db: Database, user_id: int) -> list[PracticeRung]:
    """The user's finished rungs, oldest first (the service orders them by distress)."""
    r = PracticeRung
    with db.session() as s:
        return list(
            s.exec(
                select(r)
                .where(col(r.user_id) == user_id, col(r.status) == COMPLETED)
                .order_by(col(r.created_at), col(r.id))
            ).all()
        )


def logs(db: Database, user_id: int, limit: int = 500) -> list[PracticeLog]:
    """The user's logged practices, oldest first (the latest ``limit``)."""
    m = PracticeLog
    with db.session() as s:
        rows = s.exec(
            select(m)
            .where(col(m.user_id) == user_id, col(m.status) == COMPLETED)
            .order_by(col(m.completed_at).desc(), col(m.id).desc())
            .limit(limit)
        ).all()
    return list(reversed(rows))


def logs_between(db: Database, user_id: int, first: date, last: date) -> list[PracticeLog]:
    """Practices logged with ``first <= local_date <= last``, oldest first."""
    return LOGS.completed_between(db, user_id, first, last)

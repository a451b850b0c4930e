"""Moments noticed (/noticed): drafts answered step by step, then completed.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's moment (see store/drafts.py).
"""

from __future__ import annotations

from sqlmodel import col, select

from bot.models import NoticedMoment
from bot.store import drafts
from bot.store.db import Database

DRAFT, COMPLETED, CLOSED = drafts.DRAFT, drafts.COMPLETED, drafts.CLOSED

TABLE = drafts.PeopleTable(NoticedMoment)
SETTABLE = TABLE.settable

create = TABLE.create
get = TABLE.get
latest_draft = TABLE.latest_draft
update = TABLE.update
close_drafts = TABLE.close_drafts
completed_between = TABLE.completed_between


def completed_recent(db: Database, user_id: int, limit: int = 200) -> list[NoticedMoment]:
    """The user's completed moments, newest first (labels are encrypted at rest, so matching a
    person happens in Python, not in SQL)."""
    m = NoticedMoment
    with db.session() as s:
        return list(
            s.exec(
                select(m)
                .where(col(m.user_id) == user_id, col(m.status) == COMPLETED)
                .order_by(col(m.completed_at).desc(), col(m.id).desc())
                .limit(limit)
            ).all()
        )

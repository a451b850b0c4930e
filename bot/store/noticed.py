"""Moments noticed (/noticed): drafts answered step by step, then completed.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's moment (see store/drafts.py).
"""

from __future__ import annotations

from sqlalchemy import bindparam

from bot.models import NoticedMoment
from bot.store import drafts
from bot.store.db import Database, snapshot

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
    person happens in Python, not in SQL). One Core read, as read-only snapshots: the
    evidence a thought record and a repair plan show (services/noticed.py) reads it."""
    rows = db.every(_COMPLETED_RECENT, {"user_id": user_id, "limit": limit})
    return [snapshot(NoticedMoment, row) for row in rows]


_T = TABLE.table
_COMPLETED_RECENT = (
    _T.select()
    .where(_T.c.user_id == bindparam("user_id"), _T.c.status == COMPLETED)
    .order_by(_T.c.completed_at.desc(), _T.c.id.desc())
    .limit(bindparam("limit"))
)

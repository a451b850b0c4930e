"""Repair plans: drafts answered step by step, the finished plan, and its follow-up.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's plan.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from bot.models import RepairPlan
from bot.store import drafts
from bot.store.db import Database

DRAFT, COMPLETED, CLOSED = drafts.DRAFT, drafts.COMPLETED, drafts.CLOSED

TABLE = drafts.PeopleTable(RepairPlan)
SETTABLE = TABLE.settable

create = TABLE.create
get = TABLE.get
latest_draft = TABLE.latest_draft
update = TABLE.update
close_drafts = TABLE.close_drafts
completed_between = TABLE.completed_between


def latest_completed(db: Database, user_id: int, since: datetime) -> RepairPlan | None:
    """The user's most recently completed plan, finished at or after ``since``."""
    with db.session() as s:
        return s.exec(
            select(RepairPlan)
            .where(
                col(RepairPlan.user_id) == user_id,
                col(RepairPlan.status) == COMPLETED,
                col(RepairPlan.completed_at) >= since,
            )
            .order_by(col(RepairPlan.completed_at).desc(), col(RepairPlan.id).desc())
            .limit(1)
        ).first()


def last_followup_answered(db: Database, user_id: int) -> RepairPlan | None:
    """The plan whose follow-up the user answered most recently."""
    with db.session() as s:
        return s.exec(
            select(RepairPlan)
            .where(
                col(RepairPlan.user_id) == user_id,
                col(RepairPlan.followup_answered_at).is_not(None),
            )
            .order_by(col(RepairPlan.followup_answered_at).desc(), col(RepairPlan.id).desc())
            .limit(1)
        ).first()

"""Repair plans: drafts answered step by step, the finished plan, and its follow-up.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's plan.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from bot.models import RepairPlan
from bot.store.db import Database

DRAFT, COMPLETED, CLOSED = "draft", "completed", "closed"
MAX_ID = 2**31 - 1  # ids are INTEGER columns; larger values (forged data) match nothing

ANSWER_FIELDS = frozenset(
    {
        "person",
        "what_happened",
        "impact",
        "my_part",
        "feel_need",
        "next_step",
        "question",
        "when_text",
    }
)
SETTABLE = ANSWER_FIELDS | {
    "step",
    "status",
    "completed_at",
    "followup_at",
    "followup_outcome",
    "followup_note",
    "followup_answered_at",
}


def create(db: Database, user_id: int, local_date: date, now: datetime) -> RepairPlan:
    with db.session() as s:
        plan = RepairPlan(
            user_id=user_id, local_date=local_date, status=DRAFT, created_at=now, updated_at=now
        )
        s.add(plan)
        s.flush()
        return plan


def get(db: Database, user_id: int, plan_id: int) -> RepairPlan | None:
    """The plan if it exists and belongs to ``user_id``; None otherwise."""
    if not 0 < plan_id <= MAX_ID:
        return None
    with db.session() as s:
        plan = s.get(RepairPlan, plan_id)
        return plan if plan is not None and plan.user_id == user_id else None


def latest_draft(db: Database, user_id: int) -> RepairPlan | None:
    with db.session() as s:
        return s.exec(
            select(RepairPlan)
            .where(col(RepairPlan.user_id) == user_id, col(RepairPlan.status) == DRAFT)
            .order_by(col(RepairPlan.updated_at).desc(), col(RepairPlan.id).desc())
            .limit(1)
        ).first()


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


def update(
    db: Database, user_id: int, plan_id: int, now: datetime, **fields: Any
) -> RepairPlan | None:
    """Set fields of the user's plan; None if it is not theirs (or gone)."""
    unknown = set(fields) - SETTABLE
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    if not 0 < plan_id <= MAX_ID:
        return None
    with db.session() as s:
        plan = s.get(RepairPlan, plan_id)
        if plan is None or plan.user_id != user_id:
            return None
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.updated_at = now
        s.add(plan)
        s.flush()
        return plan


def close_drafts(db: Database, user_id: int, now: datetime) -> int:
    """Put every draft of the user aside (status closed); returns how many."""
    with db.session() as s:
        drafts = s.exec(
            select(RepairPlan).where(
                col(RepairPlan.user_id) == user_id, col(RepairPlan.status) == DRAFT
            )
        ).all()
        for plan in drafts:
            plan.status = CLOSED
            plan.updated_at = now
            s.add(plan)
        return len(drafts)


def recent_people(db: Database, user_id: int, limit: int = 50) -> list[tuple[int, str]]:
    """(plan id, person label) of the user's latest plans that name someone, newest first."""
    with db.session() as s:
        rows = s.exec(
            select(RepairPlan.id, RepairPlan.person)
            .where(col(RepairPlan.user_id) == user_id, col(RepairPlan.person).is_not(None))
            .order_by(col(RepairPlan.updated_at).desc(), col(RepairPlan.id).desc())
            .limit(limit)
        ).all()
    return [(int(plan_id), str(person)) for plan_id, person in rows if plan_id is not None]


def completed_between(db: Database, user_id: int, first: date, last: date) -> list[RepairPlan]:
    """Completed plans with ``first <= local_date <= last``, oldest first (for summaries)."""
    with db.session() as s:
        return list(
            s.exec(
                select(RepairPlan)
                .where(
                    col(RepairPlan.user_id) == user_id,
                    col(RepairPlan.status) == COMPLETED,
                    col(RepairPlan.local_date) >= first,
                    col(RepairPlan.local_date) <= last,
                )
                .order_by(col(RepairPlan.local_date), col(RepairPlan.id))
            ).all()
        )

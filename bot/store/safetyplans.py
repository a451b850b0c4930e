"""Safety plans: one row per user, read and written only with that user's id."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select

from bot.models import SafetyPlan
from bot.store.db import Database

SECTIONS: tuple[str, ...] = (
    "warning_signs",
    "coping",
    "places",
    "helpers",
    "professionals",
    "environment",
    "reasons",
)


def get(db: Database, user_id: int) -> SafetyPlan | None:
    with db.session() as s:
        return s.exec(select(SafetyPlan).where(col(SafetyPlan.user_id) == user_id)).first()


def create(
    db: Database, user_id: int, local_date: date, now: datetime, **sections: str | None
) -> SafetyPlan:
    """The user's plan, created if they have none (an existing one is returned unchanged)."""
    _check(sections)
    with db.session() as s:
        found = s.exec(select(SafetyPlan).where(col(SafetyPlan.user_id) == user_id)).first()
        if found is not None:
            return found
        plan = SafetyPlan(user_id=user_id, local_date=local_date, created_at=now, updated_at=now)
        for name, value in sections.items():
            setattr(plan, name, value)
        s.add(plan)
        s.flush()
        return plan


def set_section(
    db: Database, user_id: int, section: str, value: str | None, now: datetime
) -> SafetyPlan | None:
    """Write one part of the user's plan (None clears it); None if they have no plan."""
    _check({section: value})
    with db.session() as s:
        plan = s.exec(select(SafetyPlan).where(col(SafetyPlan.user_id) == user_id)).first()
        if plan is None:
            return None
        setattr(plan, section, value)
        plan.updated_at = now
        s.add(plan)
        s.flush()
        return plan


def _check(sections: dict[str, str | None]) -> None:
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"not a safety plan section: {sorted(unknown)}")

"""Safety plans: one row per user, read and written only with that user's id."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import update as sa_update
from sqlmodel import col, select

from bot.models import SafetyPlan
from bot.store import conversations
from bot.store.db import Database, snapshot

T = SafetyPlan.__table__  # type: ignore[attr-defined]
_BY_USER = T.select().where(T.c.user_id == bindparam("user_id"))

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
    """The user's plan as a read-only snapshot (one statement), or None."""
    row = db.single(_BY_USER, {"user_id": user_id})
    return None if row is None else snapshot(SafetyPlan, row)


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
    # One statement (UPDATE … RETURNING), safe to run twice on a dropped connection.
    params = {"_value": value, "_now": now, "_user_id": user_id}
    row = conversations.write(db, _set_section(section), params)  # (with a carried state)
    return None if row is None else snapshot(SafetyPlan, row)


@cache
def _set_section(section: str) -> Any:
    return (
        sa_update(T)
        .where(T.c.user_id == bindparam("_user_id"))
        .values({section: bindparam("_value"), "updated_at": bindparam("_now")})
        .returning(*T.c)
    )


def _check(sections: dict[str, str | None]) -> None:
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"not a safety plan section: {sorted(unknown)}")

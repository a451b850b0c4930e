"""Safety plans: one row per user, read and written only with that user's id."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import update as sa_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.models import SafetyPlan
from bot.store import conversations
from bot.store.db import Database, inserted_or_there, snapshot

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
    """The user's plan, created if they have none (an existing one is returned unchanged):
    one INSERT … RETURNING, with the conversation state being carried, if any."""
    _check(sections)
    plan = SafetyPlan(user_id=user_id, local_date=local_date, created_at=now, updated_at=now)
    values = plan.model_dump(exclude={"id"}) | sections
    row = conversations.write(db, _insert(db.engine.dialect.name), values)
    return inserted_or_there(SafetyPlan, row, lambda: get(db, user_id))


@cache
def _insert(dialect: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # (Its values named: an INSERT taking the execution's parameters can't go in a WITH.)
    values: dict[str, Any] = {c.name: bindparam(c.name) for c in T.c if c.name != "id"}
    statement = insert(T).values(values)
    return statement.on_conflict_do_nothing(index_elements=[T.c.user_id]).returning(*T.c)


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

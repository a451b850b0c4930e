"""Users: registration, settings and activity flags."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select, update

from bot.models import User
from bot.store import conversations
from bot.store.db import Database, inserted_or_there, snapshot

SETTABLE = frozenset(
    {
        "first_name",
        "language_code",
        "language",
        "timezone",
        "morning_time",
        "evening_time",
        "weekly_day",
        "weekly_time",
        "paused",
        "paused_until",
        "active",
        "onboarded_at",
        "consent_at",
        "notice_version",
    }
)


U = User.__table__  # type: ignore[attr-defined]
_BY_ID = U.select().where(U.c.id == bindparam("id"))


def get(db: Database, user_id: int) -> User | None:
    with db.session() as s:
        return s.get(User, user_id)


def existing(db: Database, user_id: int) -> User | None:
    """The user's row as a read-only snapshot (one SELECT, no ORM session), or None."""
    row = db.single(_BY_ID, {"id": user_id})
    return None if row is None else snapshot(User, row)


def ensure(
    db: Database,
    user_id: int,
    chat_id: int,
    first_name: str,
    language_code: str | None,
    now: datetime,
) -> User:
    """The user's row, created on first contact (never reset for an existing user).

    An existing user (nearly every update) comes back as a read-only snapshot: one SELECT on
    a Core connection, no ORM session; a new one is one INSERT … RETURNING (a row someone
    else inserted meanwhile is kept, and read).
    """
    found = existing(db, user_id)
    if found is not None:
        return found
    values = User(
        id=user_id,
        chat_id=chat_id,
        first_name=first_name[:128],
        language_code=(language_code or None) and language_code[:16],
        created_at=now,
        updated_at=now,
    ).model_dump()
    row = db.single(_insert_new(db.engine.dialect.name), values)
    return inserted_or_there(User, row, lambda: existing(db, user_id))


@cache
def _insert_new(dialect: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values: dict[str, Any] = {c.name: bindparam(c.name) for c in U.c}
    return insert(U).values(values).on_conflict_do_nothing(index_elements=[U.c.id]).returning(*U.c)


def update_fields(db: Database, user_id: int, now: datetime, **fields: Any) -> User | None:
    """Set some of the user's settings (the user as they now are, a read-only snapshot);
    unknown field names are a programming error."""
    unknown = set(fields) - SETTABLE
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    # One UPDATE … RETURNING (no ORM session: onboarding sets a field on most steps), safe
    # to run twice on a dropped connection (the same values again); with the conversation's
    # next state if one is carried (bot/store/conversations.py).
    params = {**fields, "_id": user_id, "_now": now}
    row = conversations.write(db, _update(frozenset(fields)), params)
    return None if row is None else snapshot(User, row)


@cache
def _update(fields: frozenset[str]) -> Any:
    return (
        U.update()
        .where(U.c.id == bindparam("_id"))
        .values(
            {**{name: bindparam(name) for name in sorted(fields)}, "updated_at": bindparam("_now")}
        )
        .returning(*U.c)
    )


_SUMMARY_REQUESTED = (
    U.update().where(U.c.id == bindparam("user_id")).values(summary_requested_at=bindparam("now"))
)


def mark_summary_requested(db: Database, user_id: int, now: datetime) -> None:
    """The user just read their week (/summary): the sweep won't send it again within the hour."""
    db.single(_SUMMARY_REQUESTED, {"user_id": user_id, "now": now})


def mark_inactive(db: Database, user_id: int, now: datetime) -> None:
    """Telegram said the bot is blocked or the account is gone: no more prompts."""
    with db.session() as s:
        s.exec(
            update(User).where(col(User.id) == user_id).values(active=False, updated_at=now)  # type: ignore[call-overload]
        )


def reactivate(db: Database, user_id: int, now: datetime) -> bool:
    """The user wrote again; returns True if they had been inactive."""
    with db.session() as s:
        result = s.exec(
            update(User)
            .where(col(User.id) == user_id, col(User.active).is_(False))
            .values(active=True, updated_at=now)  # type: ignore[call-overload]
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def count(db: Database) -> int:
    from sqlalchemy import func

    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(User)).one())

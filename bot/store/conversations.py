"""Conversation states of python-telegram-bot ConversationHandlers, as JSON rows."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, delete, select

from bot.models import ConversationState
from bot.store.db import Database


def _key_json(key: tuple[int | str, ...]) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def load(db: Database, name: str) -> dict[tuple[int | str, ...], Any]:
    with db.session() as s:
        rows = s.exec(select(ConversationState).where(ConversationState.name == name)).all()
    return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}


def save(
    db: Database,
    name: str,
    key: tuple[int | str, ...],
    state: Any,
    user_id: int | None,
    now: datetime,
) -> None:
    """Store the state, or forget the conversation when ``state`` is None (it ended).

    One statement either way (an upsert or a delete): this runs after nearly every update.
    """
    key_json = _key_json(key)
    if state is None:
        db.single(_DELETE, {"name": name, "key": key_json})
        return
    values = {
        "name": name,
        "key": key_json,
        "user_id": user_id,
        "state": json.dumps(state),
        "updated_at": now,
    }
    db.single(_upsert(db.engine.dialect.name), values)


T = ConversationState.__table__  # type: ignore[attr-defined]
_DELETE = T.delete().where(T.c.name == bindparam("name"), T.c.key == bindparam("key"))


@cache
def _upsert(dialect: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(T)
    return statement.on_conflict_do_update(
        index_elements=[T.c.name, T.c.key],
        set_={
            "user_id": statement.excluded.user_id,
            "state": statement.excluded.state,
            "updated_at": statement.excluded.updated_at,
        },
    )


def delete_for_user(db: Database, user_id: int) -> None:
    with db.session() as s:
        s.exec(delete(ConversationState).where(col(ConversationState.user_id) == user_id))


def open_for_user(db: Database, user_id: int) -> dict[str, Any]:
    """Conversation name → state for every conversation the user has open."""
    with db.session() as s:
        rows = s.exec(
            select(ConversationState).where(col(ConversationState.user_id) == user_id)
        ).all()
    return {row.name: json.loads(row.state) for row in rows}


def hanging(
    db: Database, before: datetime, skip: Collection[str] = (), limit: int = 500
) -> list[tuple[str, tuple[int | str, ...], int | None, datetime]]:
    """Conversations not moved on after ``before`` (oldest first): (name, key, user, updated)."""
    query = (
        select(
            ConversationState.name,
            ConversationState.key,
            ConversationState.user_id,
            ConversationState.updated_at,
        )
        .where(col(ConversationState.updated_at) <= before)
        .order_by(col(ConversationState.updated_at))
        .limit(limit)
    )
    if skip:
        query = query.where(col(ConversationState.name).not_in(list(skip)))
    with db.session() as s:
        rows = s.exec(query).all()
    return [(name, tuple(json.loads(key)), user, updated) for name, key, user, updated in rows]


def forget_if_idle(db: Database, name: str, key: tuple[int | str, ...], before: datetime) -> bool:
    """Forget the conversation if it still hasn't moved after ``before``; True if forgotten."""
    with db.session() as s:
        result = s.exec(
            delete(ConversationState).where(
                col(ConversationState.name) == name,
                col(ConversationState.key) == _key_json(key),
                col(ConversationState.updated_at) <= before,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def states_for_user(db: Database, user_id: int) -> dict[str, dict[tuple[int | str, ...], Any]]:
    """Conversation name → {key: state} of every conversation the user has open."""
    with db.session() as s:
        rows = s.exec(
            select(ConversationState).where(col(ConversationState.user_id) == user_id)
        ).all()
    found: dict[str, dict[tuple[int | str, ...], Any]] = {}
    for row in rows:
        found.setdefault(row.name, {})[tuple(json.loads(row.key))] = json.loads(row.state)
    return found

"""Conversation states of python-telegram-bot ConversationHandlers, as JSON rows."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

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
    """Store the state, or forget the conversation when ``state`` is None (it ended)."""
    key_json = _key_json(key)
    with db.session() as s:
        row = s.get(ConversationState, (name, key_json))
        if state is None:
            if row is not None:
                s.delete(row)
            return
        if row is None:
            row = ConversationState(name=name, key=key_json, user_id=user_id, state="null")
        row.state = json.dumps(state)
        row.updated_at = now
        s.add(row)


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

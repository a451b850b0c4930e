"""No time column falls back to the wall clock: a row written without its `now` is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from bot.models import (
    CheckIn,
    Commitment,
    ConversationState,
    DuePrompt,
    RepairPlan,
    SafetyPlan,
    TriggerEntry,
    User,
)
from bot.store import users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)

#: Each table with a creation time, and a row of it lacking only its times.
WITHOUT_NOW: list[tuple[type[SQLModel], dict[str, Any]]] = [
    (User, {"id": 2, "chat_id": 2}),
    (DuePrompt, {"user_id": 1, "kind": "morning", "due_at": NOW}),
    (CheckIn, {"user_id": 1, "kind": "morning", "local_date": DAY}),
    (Commitment, {"user_id": 1, "local_date": DAY}),
    (TriggerEntry, {"user_id": 1, "local_date": DAY}),
    (RepairPlan, {"user_id": 1, "local_date": DAY}),
    (SafetyPlan, {"user_id": 1, "local_date": DAY}),
    (ConversationState, {"name": "trigger", "key": "[1, 1]", "user_id": 1, "state": "1"}),
]


@pytest.mark.parametrize(
    ("model", "fields"), WITHOUT_NOW, ids=[model.__name__ for model, _ in WITHOUT_NOW]
)
def test_a_row_without_now_is_refused(
    db: Database, model: type[SQLModel], fields: dict[str, Any]
) -> None:
    users.ensure(db, 1, 1, "Alex", None, NOW)
    with pytest.raises(IntegrityError, match="(?i)null"), db.session() as s:
        s.add(model(**fields))
        s.flush()


def test_the_same_row_with_now_is_stored(db: Database) -> None:
    users.ensure(db, 1, 1, "Alex", None, NOW)
    with db.session() as s:
        s.add(CheckIn(user_id=1, kind="morning", local_date=DAY, started_at=NOW, updated_at=NOW))
    with db.session() as s:
        (row,) = s.exec(select(CheckIn)).all()
        assert row.started_at == NOW

"""A turn's first read taken with the user's steps (bot/store/ahead.py), on both databases:
the row given is what the read gives, and never once the turn has written anything."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.store import ahead, conversations, triggers, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STEP = ((("trigger", "'story'"),), ("trigger",))


@pytest.fixture(autouse=True)
def _nothing_learnt() -> Iterator[None]:
    ahead.forget_learnt()
    yield
    ahead.forget_learnt()


def _count(db: Database) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []
    for engine in db.engines:
        event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def _a_turn(db: Database, user_id: int) -> tuple[dict[str, object], object]:
    """The steps read as at a turn's start, then the step's read: (steps, user and draft)."""
    with ahead.turn(user_id, STEP) as turn:
        steps, _ = conversations.states_and_read_ahead(db, user_id, turn)
        both = triggers.TABLE.user_and_draft(db, user_id)
    return steps, both


def test_the_read_a_step_starts_with_comes_with_the_steps(any_db: Database) -> None:
    users.ensure(any_db, 7, 7, "Sam", None, NOW)
    draft = triggers.TABLE.create(any_db, 7, NOW.date(), NOW)
    conversations.save(any_db, "trigger", (7, 7), "story", 7, NOW)
    first = _a_turn(any_db, 7)  # (learns what this step reads first)
    seen = _count(any_db)
    steps, both = _a_turn(any_db, 7)
    assert len(seen) == 1  # the steps and the step's read: one statement
    assert steps == first[0] == {"trigger": {(7, 7): "story"}}
    assert both is not None and both[0].first_name == "Sam" and both[1] is not None
    assert both[1].id == draft.id
    # Another user in the same step: the read learnt is theirs, not the first user's.
    users.ensure(any_db, 8, 8, "Kim", None, NOW)
    before = len(seen)
    steps, both = _a_turn(any_db, 8)
    assert len(seen) == before + 1 and steps == {}
    assert both is not None and both[0].first_name == "Kim" and both[1] is None


def test_after_a_write_the_read_is_asked_again(any_db: Database) -> None:
    users.ensure(any_db, 7, 7, "Sam", None, NOW)
    _a_turn(any_db, 7)
    with ahead.turn(7, STEP) as turn:
        conversations.states_and_read_ahead(any_db, 7, turn)
        users.update_fields(any_db, 7, NOW, first_name="Samira")
        both = triggers.TABLE.user_and_draft(any_db, 7)
    assert both is not None and both[0].first_name == "Samira"


def test_an_unknown_user_is_none_either_way(any_db: Database) -> None:
    users.ensure(any_db, 7, 7, "Sam", None, NOW)
    _a_turn(any_db, 7)
    assert _a_turn(any_db, 99) == ({}, None)

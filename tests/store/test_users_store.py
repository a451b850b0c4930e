"""Users and conversation states on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import conversations, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_ensure_creates_once_and_never_resets(any_db: Database) -> None:
    user = users.ensure(any_db, 42, 42, "Alex", "en", NOW)
    assert (user.timezone, user.morning_time, user.evening_time) == ("UTC", "08:00", "21:00")
    users.update_fields(any_db, 42, NOW, timezone="Europe/Berlin", morning_time="07:30")
    again = users.ensure(any_db, 42, 42, "Someone else", "de", NOW + timedelta(days=1))
    assert again.timezone == "Europe/Berlin"
    assert again.morning_time == "07:30"
    assert again.first_name == "Alex"
    assert users.count(any_db) == 1


def test_datetimes_come_back_aware_utc(any_db: Database) -> None:
    users.ensure(any_db, 7, 7, "Sam", None, NOW)
    users.update_fields(any_db, 7, NOW, paused=True, paused_until=NOW + timedelta(days=3))
    stored = users.get(any_db, 7)
    assert stored is not None
    assert stored.paused_until == NOW + timedelta(days=3)
    assert stored.paused_until.tzinfo is not None


def test_unicode_and_long_names_are_kept(any_db: Database) -> None:
    name = "Zoë 🌱 " + "ü" * 200
    user = users.ensure(any_db, 9, 9, name, "pt-BR", NOW)
    assert users.get(any_db, 9).first_name == name[:128]  # type: ignore[union-attr]
    assert user.language_code == "pt-BR"


def test_unknown_settings_field_is_refused(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "A", None, NOW)
    with pytest.raises(ValueError):
        users.update_fields(any_db, 1, NOW, id=2)


def test_inactive_and_reactivate(any_db: Database) -> None:
    users.ensure(any_db, 5, 5, "B", None, NOW)
    users.mark_inactive(any_db, 5, NOW)
    assert users.get(any_db, 5).active is False  # type: ignore[union-attr]
    assert users.reactivate(any_db, 5, NOW) is True
    assert users.reactivate(any_db, 5, NOW) is False
    assert users.get(any_db, 5).active is True  # type: ignore[union-attr]


def test_conversation_states_round_trip_and_end(any_db: Database) -> None:
    users.ensure(any_db, 3, 3, "C", None, NOW)
    conversations.save(any_db, "onboarding", (3, 3), "morning", 3, NOW)
    conversations.save(any_db, "settings", (3, 3), "tz", 3, NOW)
    conversations.save(any_db, "onboarding", (4, 4), "timezone", 4, NOW)
    assert conversations.load(any_db, "onboarding") == {(3, 3): "morning", (4, 4): "timezone"}
    assert conversations.open_for_user(any_db, 3) == {"onboarding": "morning", "settings": "tz"}
    conversations.save(any_db, "onboarding", (3, 3), "evening", 3, NOW)
    assert conversations.load(any_db, "onboarding")[(3, 3)] == "evening"
    conversations.save(any_db, "onboarding", (3, 3), None, 3, NOW)
    assert (3, 3) not in conversations.load(any_db, "onboarding")
    conversations.delete_for_user(any_db, 3)
    assert conversations.open_for_user(any_db, 3) == {}
    assert conversations.load(any_db, "onboarding") == {(4, 4): "timezone"}

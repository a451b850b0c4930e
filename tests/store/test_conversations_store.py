"""Finding and forgetting conversations left hanging, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.persistence import REFRESH, DatabasePersistence
from bot.store import checkins, conversations, triggers, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_hanging_oldest_first_with_skipped_names(any_db: Database) -> None:
    for user_id in (1, 2, 3):
        users.ensure(any_db, user_id, user_id, "U", None, NOW)
    conversations.save(any_db, "trigger", (1, 1), "story", 1, NOW - 3 * HOUR)
    conversations.save(any_db, "onboarding", (2, 2), "timezone", 2, NOW - 9 * HOUR)
    conversations.save(any_db, "settings", (3, 3), "tz", 3, NOW - 8 * HOUR)
    conversations.save(any_db, "repair", (3, 3), "impact", 3, NOW)

    found = conversations.hanging(any_db, NOW - 3 * HOUR, skip={"onboarding"})
    assert [(name, key, user) for name, key, user, _ in found] == [
        ("settings", (3, 3), 3),
        ("trigger", (1, 1), 1),  # exactly at the limit counts
    ]
    assert found[0][3] == NOW - 8 * HOUR
    assert len(conversations.hanging(any_db, NOW - 3 * HOUR, limit=1)) == 1


def test_forget_only_while_still_idle(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "U", None, NOW)
    conversations.save(any_db, "trigger", (1, 1), "story", 1, NOW - 7 * HOUR)
    conversations.save(any_db, "trigger", (1, 1), "body", 1, NOW)  # answered meanwhile
    assert not conversations.forget_if_idle(any_db, "trigger", (1, 1), NOW - 6 * HOUR)
    assert conversations.open_for_user(any_db, 1) == {"trigger": "body"}
    assert conversations.forget_if_idle(any_db, "trigger", (1, 1), NOW)
    assert conversations.open_for_user(any_db, 1) == {}
    assert not conversations.forget_if_idle(any_db, "trigger", (1, 1), NOW)


async def test_an_unchanged_state_is_stored_again_only_after_a_while(any_db: Database) -> None:
    """PTB reports the state after every update; re-writing an unchanged one is skipped, but
    not for long, so a conversation someone is still using never looks hanging."""
    users.ensure(any_db, 1, 1, "U", None, NOW)
    clock = [NOW]
    persistence = DatabasePersistence(any_db, lambda: clock[0])

    def stored() -> list[tuple[str, datetime]]:
        return [(n, at) for n, _, _, at in conversations.hanging(any_db, NOW + 9 * HOUR)]

    await persistence.update_conversation("checkin", (1, 1), "m_emotions")
    clock[0] = NOW + REFRESH / 2
    await persistence.update_conversation("checkin", (1, 1), "m_emotions")
    assert stored() == [("checkin", NOW)]  # the same state moments later: not written again
    clock[0] = NOW + REFRESH
    await persistence.update_conversation("checkin", (1, 1), "m_emotions")
    assert stored() == [("checkin", NOW + REFRESH)]
    await persistence.update_conversation("checkin", (1, 1), "m_intensity")  # changed: written
    assert await persistence.get_conversations("checkin") == {(1, 1): "m_intensity"}
    await persistence.update_conversation("checkin", (1, 1), None)
    assert stored() == []


async def test_a_carried_state_is_stored_by_the_answer_that_leads_to_it(any_db: Database) -> None:
    """The step an answer leads to is stored with the answer (before any reply), and PTB's
    report of the same step afterwards writes nothing more; no answer stored, no state."""
    users.ensure(any_db, 1, 1, "U", None, NOW)
    persistence = DatabasePersistence(any_db, lambda: NOW)
    with persistence.carry("trigger", (1, 1), "situation"):
        entry = triggers.create(any_db, 1, NOW.date(), NOW)
    assert conversations.open_for_user(any_db, 1) == {"trigger": "situation"}
    with persistence.carry("trigger", (1, 1), "emotions"):
        assert triggers.update(any_db, 1, entry.id, NOW, step="situation", situation="x")
    assert conversations.open_for_user(any_db, 1) == {"trigger": "emotions"}
    assert persistence.unconfirmed(1) == [("trigger", (1, 1))]  # PTB has not reported it yet
    with persistence.carry("trigger", (1, 1), "body"):  # someone else's row: nothing stored
        assert triggers.update(any_db, 2, entry.id, NOW, step="emotions") is None
    assert conversations.open_for_user(any_db, 1) == {"trigger": "emotions"}
    assert persistence.unconfirmed(1) == []
    assert triggers.get(any_db, 1, entry.id).situation == "x"  # type: ignore[union-attr]


async def test_the_last_answer_forgets_the_conversation_it_ends(any_db: Database) -> None:
    """An answer that ends its conversation deletes the stored state with it; PTB's report of
    the end afterwards writes nothing more, and a setting changed outside one deletes none."""
    users.ensure(any_db, 1, 1, "U", None, NOW)
    persistence = DatabasePersistence(any_db, lambda: NOW)
    entry = triggers.create(any_db, 1, NOW.date(), NOW)
    await persistence.update_conversation("trigger", (1, 1), "context")
    with persistence.carry("trigger", (1, 1), None):
        assert triggers.update(any_db, 1, entry.id, NOW, step="context", context="home")
    assert conversations.open_for_user(any_db, 1) == {}
    conversations.save(any_db, "trigger", (1, 1), "context", 1, NOW)  # (to see it stays)
    await persistence.update_conversation("trigger", (1, 1), None)  # PTB's: nothing written
    assert conversations.open_for_user(any_db, 1) == {"trigger": "context"}
    assert persistence.unconfirmed(1) == []
    with persistence.carry("settings", (1, 1), None):
        users.update_fields(any_db, 1, NOW, morning_time="07:30")
    assert conversations.open_for_user(any_db, 1) == {"trigger": "context"}
    assert users.existing(any_db, 1).morning_time == "07:30"  # type: ignore[union-attr]


async def test_a_check_in_carries_the_step_it_waits_for(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "U", None, NOW)
    persistence = DatabasePersistence(any_db, lambda: NOW)
    checkin = checkins.start(any_db, 1, "morning", NOW.date(), NOW)
    with persistence.carry("checkin", (1, 1), conversations.STEP_OF_ROW):
        checkins.save_answer(any_db, 1, checkin.id, NOW, step="m_need", intensity=4)
    assert conversations.open_for_user(any_db, 1) == {"checkin": "m_need"}
    with persistence.carry("checkin", (1, 1), conversations.STEP_OF_ROW):
        checkins.wait_for(any_db, 1, "m_commit", NOW)
    assert conversations.open_for_user(any_db, 1) == {"checkin": "m_commit"}
    await persistence.update_conversation("checkin", (1, 1), "m_commit")  # PTB's: the same
    assert persistence.unconfirmed(1) == []


async def test_only_a_write_naming_the_next_step_carries_a_check_ins_state(
    any_db: Database,
) -> None:
    """The kept commitment is stored before the step the check-in then waits for: the state
    goes with the second write, not the first (which names no step)."""
    users.ensure(any_db, 1, 1, "U", None, NOW)
    persistence = DatabasePersistence(any_db, lambda: NOW)
    checkin = checkins.start(any_db, 1, "evening", NOW.date(), NOW)
    checkins.wait_for(any_db, 1, "e_kept", NOW)
    with persistence.carry("checkin", (1, 1), conversations.STEP_OF_ROW):
        checkins.save_answer(any_db, 1, checkin.id, NOW, commitment_kept="yes")
        assert conversations.open_for_user(any_db, 1) == {}
        checkins.wait_for(any_db, 1, "e_lesson", NOW)
    assert conversations.open_for_user(any_db, 1) == {"checkin": "e_lesson"}


async def test_a_state_read_at_the_turns_start_is_not_written_again(any_db: Database) -> None:
    """Replicas read the user's states at each turn (bot/replicas/steps.py): a state PTB then
    reports unchanged is the database's already, and written only once it changes."""
    from sqlalchemy import event

    users.ensure(any_db, 1, 1, "U", None, NOW)
    conversations.save(any_db, "checkin", (1, 1), "m_emotions", 1, NOW - timedelta(minutes=1))
    persistence = DatabasePersistence(any_db, lambda: NOW)
    _, written = conversations.states_for_user(any_db, 1)
    persistence.known(1, written)
    seen: list[str] = []
    for engine in any_db.engines:
        event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    await persistence.update_conversation("checkin", (1, 1), "m_emotions")
    assert seen == []
    await persistence.update_conversation("checkin", (1, 1), "m_intensity")
    assert len(seen) == 1
    assert conversations.open_for_user(any_db, 1) == {"checkin": "m_intensity"}

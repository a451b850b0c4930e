"""Conversations left hanging are closed tidily by the sweep's housekeeping; answers are kept.

Time is the FakeClock: conversation states are stamped with it, and ``close_hanging`` is called
with a chosen ``now`` (the sweep's tick calls it through ``close_if_due``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.outbound.idle import CHECK_EVERY, HANGING_AFTER, close_hanging, close_if_due
from bot.store import checkins, conversations, repairs, triggers
from tests.e2e.rig import BotRig, sent

FREE_TEXT = "I'm here when you want me"
MINUTE = timedelta(minutes=1)


async def close(rig: BotRig, now: datetime) -> list[tuple[str, int | None]]:
    assert rig.app is not None
    return await close_hanging(rig.app, now)


async def close_due(rig: BotRig, now: datetime) -> list[tuple[str, int | None]]:
    assert rig.app is not None
    return await close_if_due(rig.app, now)


async def test_a_trigger_log_left_hanging_is_closed_and_offered_again(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    (question,) = sent(await alex.ask("They left me on read."))
    assert "What did you feel" in question.text
    started = rig.clock()

    assert await close(rig, started + HANGING_AFTER - MINUTE) == []
    assert await close(rig, started + HANGING_AFTER) == [("trigger", 1001)]
    assert conversations.open_for_user(rig.db, 1001) == {}
    (tidied,) = alex.unread()  # the open question's buttons are gone
    assert tidied.kind == "edit" and tidied.message_id == question.message_id
    assert tidied.labels == []

    rig.clock.set(started + HANGING_AFTER + MINUTE)
    (reply,) = await alex.ask("Scared")  # no longer taken as an answer
    assert FREE_TEXT in reply.text
    entry = triggers.latest_draft(rig.db, 1001)
    assert entry is not None and entry.situation == "They left me on read."  # kept as a draft
    (offer,) = sent(await alex.ask("/trigger"))
    assert "unfinished trigger log" in offer.text
    (again,) = sent(await alex.tap("Continue where I left off"))
    assert "What did you feel" in again.text


async def test_each_answer_keeps_it_open_for_another_while(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/repair")
    start = rig.clock()
    rig.clock.set(start + HANGING_AFTER - MINUTE)
    await alex.tap("Partner")  # an answer just in time
    assert await close(rig, start + HANGING_AFTER + MINUTE) == []
    replies = sent(await alex.ask("I forgot our anniversary."))
    assert "affected them" in replies[-1].text
    plan = repairs.latest_draft(rig.db, 1001)
    assert plan is not None and plan.what_happened == "I forgot our anniversary."


async def test_a_check_in_waits_longer_and_is_closed_with_its_answers(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # feelings
    await alex.tap("7")
    start = rig.clock()
    assert await close(rig, start + HANGING_AFTER + MINUTE) == []
    assert await close(rig, start + timedelta(hours=12)) == [("checkin", 1001)]
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.status == "closed" and row.intensity == 7
    rig.clock.set(start + timedelta(hours=12))
    (reply,) = await alex.ask("A long bath")
    assert FREE_TEXT in reply.text


async def test_onboarding_is_never_closed(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")
    await alex.tap("Let's begin")
    assert await close(rig, rig.clock() + timedelta(days=30)) == []
    (confirm,) = await alex.ask("Berlin")
    assert "Europe/Berlin" in confirm.text


async def test_settings_question_closed_after_a_restart(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/script istatement")  # waits for a sentence
    await alex.ask("/morning")  # waits for a typed time too
    await rig.restart()  # the open conversations come back from the database
    later = rig.clock() + HANGING_AFTER
    closed = await close(rig, later)
    assert sorted(closed) == [("script", 1001), ("settings", 1001)]
    rig.clock.set(later)
    (reply,) = await alex.ask("7:30")
    assert FREE_TEXT in reply.text
    await rig.restart()
    (reply,) = await alex.ask("7:30")  # still closed in the stored state
    assert FREE_TEXT in reply.text


async def test_an_answer_arriving_while_waiting_for_the_users_turn_wins(
    rig: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    later = rig.clock() + HANGING_AFTER
    assert rig.app is not None
    processor = rig.app.update_processor
    waiting = asyncio.Event()
    turn = processor.turn  # type: ignore[attr-defined]

    def spied_turn(user_id: int) -> Any:
        waiting.set()  # the housekeeping now queues for the user's turn
        return turn(user_id)

    monkeypatch.setattr(processor, "turn", spied_turn)
    async with turn(1001):  # as if one of Alex's updates were being handled
        closing = asyncio.create_task(close(rig, later))
        await asyncio.wait_for(waiting.wait(), 10)  # (a bound, not a timing)
        # What Alex's answer writes while holding the turn:
        conversations.save(rig.db, "trigger", (1001, 1001), "situation", 1001, later)
    assert await closing == []
    rig.clock.set(later)
    replies = sent(await alex.ask("They left me on read."))  # the log is still open
    assert "What did you feel" in replies[-1].text


async def test_the_sweep_tick_checks_every_quarter_hour(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    first = rig.clock() + HANGING_AFTER - MINUTE
    assert await close_due(rig, first) == []  # not hanging yet
    assert await close_due(rig, first + 2 * MINUTE) == []  # too soon
    closed = await close_due(rig, first + CHECK_EVERY)
    assert closed == [("trigger", 1001)]
    assert sent(alex.unread()) == []  # nothing is said to the user, the buttons just go

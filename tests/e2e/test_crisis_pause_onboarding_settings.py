"""Crisis language typed in any step of any conversation: care first, in one message, never
quoted or corrected; the conversation waits under it with "Carry on where we were" / "Stop here
for now"; a free-text step keeps the message as its answer; carrying on asks the next open
question with its buttons; stopping keeps every answer.

Here: before and during onboarding, and in the settings questions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.store import users
from tests.e2e.helpers import (
    CARE,
    CARRY_ON,
    STOP,
    care_only,
    carry_on,
    stop,
)
from tests.e2e.rig import BotRig, sent, texts

# --- before and during onboarding ----------------------------------------------------------


async def test_before_onboarding_care_alone_and_nothing_is_created(rig: BotRig) -> None:
    sam = rig.user(1009, "Sam")
    await care_only(sam, "i want to kill myself", paused=False)
    assert users.get(rig.db, 1009) is None


@pytest.mark.parametrize("typed_at", ["consent", "timezone", "morning", "evening"])
async def test_every_onboarding_step(rig: BotRig, typed_at: str) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")

    async def confirm_berlin() -> None:
        await alex.ask("Berlin")
        await alex.tap("Yes, that's right")

    # Each step, what moves past it, and what its question shows.
    steps: list[tuple[str, Callable[[], Awaitable[object]], str]] = [
        ("consent", lambda: alex.tap("Let's begin"), "Let's begin"),
        ("timezone", confirm_berlin, "timezone"),
        ("morning", lambda: alex.tap("08:00 (default)"), "08:00 (default)"),
        ("evening", lambda: alex.tap("21:00 (default)"), "21:00 (default)"),
    ]
    for step, answer, _ in steps:
        if step == typed_at:
            break
        await answer()
    # "at 9" would parse as a time and "Berlin" as a city: neither is taken from this message.
    await care_only(alex, "I want to die in Berlin at 9")
    question = await carry_on(alex)
    expected = dict((s, e) for s, _, e in steps)[typed_at]
    assert expected in texts([question]) or expected in question.labels
    user = users.get(rig.db, 1001)
    assert user is not None and user.morning_time == "08:00" and user.onboarded_at is None


async def test_stopping_onboarding_keeps_consent_and_start_finishes_it(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")
    await alex.tap("Let's begin")
    await care_only(alex)
    note = await stop(alex)
    assert "/start" in note.text
    (ask,) = sent(await alex.ask("/start"))
    assert "timezone" in ask.text  # consent was kept


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "question"),
    [
        ("/timezone", "timezone"),
        ("/morning", "morning"),
        ("/evening", "evening"),
        ("/weekly", "weekly"),
    ],
)
async def test_every_settings_question(rig: BotRig, command: str, question: str) -> None:
    alex = await rig.onboarded()
    await alex.ask(command)
    await care_only(alex, "I don't want to be alive on Sunday 19:30 in Paris")
    asked = await carry_on(alex)
    assert question in asked.text.lower() and "Keep as it is" in asked.labels
    user = users.get(rig.db, 1001)
    assert user is not None and user.timezone == "Europe/Berlin" and user.weekly_time == "19:00"
    assert user.morning_time == "08:00" and user.evening_time == "21:00"


async def test_typing_while_paused_gets_a_gentle_note_and_stop_changes_nothing(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/weekly")
    await care_only(alex)
    (note,) = sent(await alex.ask("Sunday 20:00"))  # not taken as the answer while paused
    assert note.labels == [CARRY_ON, STOP] and "couldn't" not in note.text
    await stop(alex)
    user = users.get(rig.db, 1001)
    assert user is not None and user.weekly_time == "19:00"
    (reply,) = sent(await alex.ask("Sunday 20:00"))
    assert CARE not in reply.text  # the conversation is over: an ordinary reply

"""Steady in German and in Russian from the first message: onboarding, a morning check-in, a
thought record, a repair plan, /summary and /help — and not one English catalogue phrase
reaches the user (tests/e2e/english.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.english import english_in
from tests.e2e.rig import BotRig, sent
from tests.fakebot import FakeUser
from tests.fakebot.state import BotEvent, keyboard_of


def _with_buttons(user: FakeUser) -> tuple[int, list[list[dict[str, Any]]]]:
    """The latest bot message that still has buttons, and its keyboard."""
    for event in reversed(user.events):
        current = user.state.messages.get((user.chat_id, event.message_id))
        if current is not None and keyboard_of(current):
            return event.message_id, keyboard_of(current)
    raise AssertionError("no message with buttons")


async def _first(user: FakeUser, seen: list[BotEvent]) -> list[BotEvent]:
    """Tap the first button of the latest message with buttons."""
    message_id, rows = _with_buttons(user)
    got = await user.tap(data=rows[0][0]["callback_data"], message=message_id)
    seen += got
    return got


async def _last(user: FakeUser, seen: list[BotEvent]) -> list[BotEvent]:
    """Tap the last button (Skip, Done) of the latest message with buttons."""
    message_id, rows = _with_buttons(user)
    got = await user.tap(data=rows[-1][-1]["callback_data"], message=message_id)
    seen += got
    return got


async def _say(user: FakeUser, text: str, seen: list[BotEvent]) -> list[BotEvent]:
    got = await user.ask(text)
    seen += got
    return got


@pytest.mark.parametrize(
    ("lang", "city", "words"),
    [
        (
            "de",
            "München",
            ("Ein ruhiger Spaziergang", "Er hat nicht geantwortet", "Enge in der Brust"),
        ),
        ("ru", "Москва", ("Спокойная прогулка", "Он не ответил мне", "Сжатие в груди")),
    ],
)
async def test_a_user_reads_steady_in_their_own_language(
    rig: BotRig, lang: str, city: str, words: tuple[str, str, str]
) -> None:
    user = rig.user(3001, "Lena", language_code=lang)
    seen: list[BotEvent] = []
    await _say(user, "/start", seen)
    await _first(user, seen)  # let's begin
    await _say(user, city, seen)
    await _first(user, seen)  # yes, that's right
    await _first(user, seen)  # morning 08:00
    await _first(user, seen)  # evening 21:00

    await _say(user, "/checkin morning", seen)
    await _first(user, seen)  # a family of feelings
    await _first(user, seen)  # a word
    await _last(user, seen)  # done
    await _first(user, seen)  # intensity 0
    await _say(user, words[0], seen)  # what I need
    await _first(user, seen)  # a commitment

    await _say(user, "/trigger", seen)
    await _say(user, words[1], seen)  # the situation
    await _first(user, seen)  # a family
    await _first(user, seen)  # a word
    await _last(user, seen)  # done
    await _say(user, "7", seen)
    await _say(user, words[2], seen)  # the body
    for _ in range(12):  # skip the rest, whatever it asks
        if not sent(await _last(user, seen)):
            break

    await _say(user, "/repair", seen)
    await _last(user, seen)  # skip who
    await _say(user, words[1], seen)  # what happened
    await _say(user, "/cancel", seen)

    await _say(user, "/summary", seen)
    await _say(user, "/help", seen)
    await _say(user, "/settings", seen)

    shown = "\n".join(e.text or "" for e in seen)
    assert words[0] in shown and words[1] in shown  # their answers went where they belong
    assert len([e for e in seen if e.text]) > 25
    assert english_in(seen) == []


async def test_the_check_finds_english_when_there_is_some(rig: BotRig) -> None:
    """The same check on an English user's /help and /start finds English (it can fail)."""
    user = rig.user(3002, "Sam", language_code="en")
    seen = await user.ask("/start") + await user.ask("/help")
    assert english_in(seen)

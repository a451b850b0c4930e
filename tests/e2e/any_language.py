"""Driving Steady without knowing its words (for tests in other languages): tap the first or
the last button of the latest message that has buttons, type, and onboard with the defaults.
Everything the bot sends meanwhile is collected in ``seen``."""

from __future__ import annotations

from typing import Any

from tests.fakebot import FakeUser
from tests.fakebot.state import BotEvent, keyboard_of


def with_buttons(user: FakeUser) -> tuple[int, list[list[dict[str, Any]]]]:
    """The latest bot message that still has buttons, and its keyboard."""
    for event in reversed(user.events):
        current = user.state.messages.get((user.chat_id, event.message_id))
        if current is not None and keyboard_of(current):
            return event.message_id, keyboard_of(current)
    raise AssertionError("no message with buttons")


async def first(user: FakeUser, seen: list[BotEvent]) -> list[BotEvent]:
    """Tap the first button of the latest message with buttons."""
    message_id, rows = with_buttons(user)
    got = await user.tap(data=rows[0][0]["callback_data"], message=message_id)
    seen += got
    return got


async def last(user: FakeUser, seen: list[BotEvent]) -> list[BotEvent]:
    """Tap the last button (Skip, Done) of the latest message with buttons."""
    message_id, rows = with_buttons(user)
    got = await user.tap(data=rows[-1][-1]["callback_data"], message=message_id)
    seen += got
    return got


async def say(user: FakeUser, text: str, seen: list[BotEvent]) -> list[BotEvent]:
    got = await user.ask(text)
    seen += got
    return got


async def onboard(user: FakeUser, city: str, seen: list[BotEvent]) -> None:
    """/start, let's begin, the city (confirmed), the default morning and evening times."""
    await say(user, "/start", seen)
    await first(user, seen)  # let's begin
    await say(user, city, seen)
    await first(user, seen)  # yes, that's right
    await first(user, seen)  # morning 08:00
    await first(user, seen)  # evening 21:00

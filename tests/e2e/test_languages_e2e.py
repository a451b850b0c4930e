"""Steady in German and in Russian from the first message: onboarding, a morning check-in, a
thought record, a repair plan, /summary and /help — and not one English catalogue phrase
reaches the user (tests/e2e/english.py)."""

from __future__ import annotations

import pytest

from tests.e2e.any_language import first, last, onboard, say
from tests.e2e.english import english_in
from tests.e2e.rig import BotRig, sent
from tests.fakebot.state import BotEvent


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
    await onboard(user, city, seen)

    await say(user, "/checkin morning", seen)
    await first(user, seen)  # a family of feelings
    await first(user, seen)  # a word
    await last(user, seen)  # done
    await first(user, seen)  # intensity 0
    await say(user, words[0], seen)  # what I need
    await first(user, seen)  # a commitment

    await say(user, "/trigger", seen)
    await say(user, words[1], seen)  # the situation
    await first(user, seen)  # a family
    await first(user, seen)  # a word
    await last(user, seen)  # done
    await say(user, "7", seen)
    await say(user, words[2], seen)  # the body
    for _ in range(12):  # skip the rest, whatever it asks (in place), to the entry read back
        if any(not e.buttons for e in sent(await last(user, seen))):
            break

    await say(user, "/repair", seen)
    await last(user, seen)  # skip who
    await say(user, words[1], seen)  # what happened
    await say(user, "/cancel", seen)

    await say(user, "/summary", seen)
    await say(user, "/help", seen)
    await say(user, "/settings", seen)

    shown = "\n".join(e.text or "" for e in seen)
    assert words[0] in shown and words[1] in shown  # their answers went where they belong
    assert len([e for e in seen if e.text]) > 25
    assert english_in(seen) == []


async def test_the_check_finds_english_when_there_is_some(rig: BotRig) -> None:
    """The same check on an English user's /help and /start finds English (it can fail)."""
    user = rig.user(3002, "Sam", language_code="en")
    seen = await user.ask("/start") + await user.ask("/help")
    assert english_in(seen)

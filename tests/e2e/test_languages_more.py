"""The rest of Steady in German and in Russian: the scheduled evening check-in, /script with a
template, /safetyplan, /history, /export and the weekly summary with its chart — and not one
English catalogue phrase reaches the user (tests/e2e/english.py)."""

from __future__ import annotations

import json

import pytest

from bot.store import conversations
from tests.e2e.any_language import first, last, onboard, say
from tests.e2e.english import english_fragments, english_in
from tests.e2e.helpers import EVENING_DUE
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeUser
from tests.fakebot.state import BotEvent

PEOPLE = {
    "de": ("Lena", "Berlin", "Ich rufe meine Schwester an"),
    "ru": ("Лена", "Москва", "Я позвоню сестре"),
}


async def _onboarded(rig: BotRig, lang: str, seen: list[BotEvent]) -> FakeUser:
    name, city, _ = PEOPLE[lang]
    user = rig.user(3101, name, language_code=lang)
    await onboard(user, city, seen)
    return user


@pytest.mark.parametrize("lang", ["de", "ru"])
async def test_the_rest_of_steady_in_their_own_language(rig: BotRig, lang: str) -> None:
    seen: list[BotEvent] = []
    user = await _onboarded(rig, lang, seen)
    words = PEOPLE[lang][2]

    await rig.sweep(EVENING_DUE if lang == "de" else EVENING_DUE.replace(hour=18))
    seen += await user.replies_until_idle()
    await first(user, seen)  # start the evening check-in
    await first(user, seen)  # mostly warm
    for _ in range(12):  # skip the rest, whatever it asks, until it is over
        if not conversations.open_for_user(rig.db, user.id):
            break
        await last(user, seen)
    assert not conversations.open_for_user(rig.db, user.id)

    await say(user, "/script", seen)
    await first(user, seen)  # the first template
    await say(user, "/safetyplan", seen)
    await say(user, words, seen)  # the first step, in their words
    for _ in range(8):
        if not sent(await last(user, seen)):  # skip the rest
            break
    await say(user, "/history", seen)
    await say(user, "/summary", seen)
    exported = await say(user, "/export", seen)

    assert english_in(seen, lang) == []
    (doc,) = [e for e in exported if e.document]
    assert words in (doc.document or b"").decode()
    about = json.loads(doc.document or b"")["steady_export"]["about"]
    assert about and not any(phrase in about for phrase in english_fragments(lang))
    charts = [e for e in seen if e.kind == "photo"]

    assert charts, "the summary came with its chart"


async def test_command_words_in_german(rig: BotRig) -> None:
    """`/checkin abend` and `/summary 4 Wochen` as a German speaker would type them."""
    seen: list[BotEvent] = []
    user = await _onboarded(rig, "de", seen)
    (started,) = sent(await user.ask("/checkin abend"))
    assert "Abendrückblick" in (started.text or "")
    await user.ask("/cancel")
    summary = texts(await user.ask("/summary 4 Wochen"))
    assert "Deine letzten 4 Wochen:" in summary
    (wrong,) = sent(await user.ask("/checkin mittags"))
    assert "/checkin abend" in (wrong.text or "")

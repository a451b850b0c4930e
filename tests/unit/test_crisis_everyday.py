"""The messages a bot gets most (thanks, ok, greetings, good night) never bring the crisis
reply, in any language: the round-9 model took "thank you" for a goodbye, and a user who
thanked Steady after a check-in got the care message instead of a kind word."""

from __future__ import annotations

import pytest

from bot.services.crisis import detect_crisis

EVERYDAY = {
    "en": ["thanks", "thank you", "Thanks!", "thank you so much", "thanks again", "ok",
           "good night", "see you tomorrow", "hi", "thanks, that was helpful"],
    "de": ["danke", "Danke!", "vielen dank", "danke nochmal", "ok", "gute nacht", "bis morgen",
           "hallo", "danke, das war hilfreich"],
    "es": ["gracias", "Gracias!", "muchas gracias", "gracias de nuevo", "ok", "buenas noches",
           "hasta mañana", "hola", "gracias, me sirvió"],
    "fr": ["merci", "Merci !", "merci beaucoup", "merci encore", "ok", "bonne nuit", "à demain",
           "salut", "merci, ça m'a aidé"],
    "pt": ["obrigado", "obrigada", "Valeu!", "muito obrigada", "obrigado de novo", "ok",
           "boa noite", "até amanhã", "oi", "obrigada, ajudou muito"],
    "ru": ["спасибо", "Спасибо!", "спасибо большое", "еще раз спасибо", "ок", "спокойной ночи",
           "до завтра", "привет", "спасибо, это помогло"],
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(EVERYDAY))
def test_everyday_messages_never_bring_the_crisis_reply(lang: str) -> None:
    assert [text for text in EVERYDAY[lang] if detect_crisis(text)] == []

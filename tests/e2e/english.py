"""Checking that a non-English user read no English catalogue text.

``english_fragments()`` cuts every English text of the catalogue at its placeholders and keeps
the pieces long enough to be a phrase ("What do you need today? A sentence is plenty"), not
a shared word; ``english_in(events)`` lists the ones found in what the bot sent.
"""

from __future__ import annotations

import re
from functools import cache

from bot.content import _catalogue, i18n
from bot.content.messages import catalogue_messages
from tests.fakebot.state import BotEvent

#: A piece of English shorter than this may be a name or a word every language shares.
MIN_FRAGMENT = 16
#: Texts every language keeps in English: names, numbers, commands.
SAME_EVERYWHERE = re.compile(r"^[\W\d_]*$|^/\w+|https?://")


@cache
def english_fragments(lang: str | None = None) -> frozenset[str]:
    """The phrases of the English texts; with ``lang``, not those that language's translation
    keeps as they are (a German helpline in the English list of helplines, say)."""
    pieces: set[str] = set()
    for message in catalogue_messages(_catalogue()):
        kept = i18n.translate(message.key, message.english, lang) if lang else ""
        for text in (message.english, message.plural or ""):
            for piece in re.split(r"\{[^}]*\}|\n", text):
                piece = piece.strip(" .,:;!?—–-()“”\"'")
                long_enough = len(piece) >= MIN_FRAGMENT and not SAME_EVERYWHERE.search(piece)
                if long_enough and piece not in kept:
                    pieces.add(piece)
    return frozenset(pieces)


def english_in(events: list[BotEvent], lang: str | None = None) -> list[str]:
    """The English catalogue phrases in these messages (their texts and button labels); with
    ``lang``, leaving out what that language's catalogue itself says the same way."""
    shown = "\n".join(
        [e.text or "" for e in events] + [label for e in events for label in e.labels]
    )
    return sorted(p for p in english_fragments(lang) if p in shown)

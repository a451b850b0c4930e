"""Checking that a non-English user read no English catalogue text.

``english_fragments()`` cuts every English text of the catalogue at its placeholders and keeps
the pieces long enough to be a phrase ("What do you need today? A sentence is plenty"), not
a shared word; ``english_in(events)`` lists the ones found in what the bot sent.
"""

from __future__ import annotations

import re
from functools import cache

from bot.content import _catalogue
from bot.content.messages import catalogue_messages
from tests.fakebot.state import BotEvent

#: A piece of English shorter than this may be a name or a word every language shares.
MIN_FRAGMENT = 16
#: Texts every language keeps in English: names, numbers, commands.
SAME_EVERYWHERE = re.compile(r"^[\W\d_]*$|^/\w+|https?://")


@cache
def english_fragments() -> frozenset[str]:
    pieces: set[str] = set()
    for message in catalogue_messages(_catalogue()):
        for text in (message.english, message.plural or ""):
            for piece in re.split(r"\{[^}]*\}|\n", text):
                piece = piece.strip(" .,:;!?—–-()“”\"'")
                if len(piece) >= MIN_FRAGMENT and not SAME_EVERYWHERE.search(piece):
                    pieces.add(piece)
    return frozenset(pieces)


def english_in(events: list[BotEvent]) -> list[str]:
    """The English catalogue phrases in these messages (their texts and button labels)."""
    shown = "\n".join(
        [e.text or "" for e in events] + [label for e in events for label in e.labels]
    )
    return sorted(p for p in english_fragments() if p in shown)

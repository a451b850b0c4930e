"""The history feature: /history: past entries, a page at a time."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.history import handlers
from bot.services import history

FEATURE = Feature(
    name="history",
    prefixes=("hi",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    texts=(history.FIELDS,),
)

"""The language feature: /language, the language Steady speaks with the user."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.language import handlers

FEATURE = Feature(
    name="language",
    prefixes=(handlers.P,),
    commands=tuple(Command(name, t(key, lang="en")) for name, key in handlers.COMMANDS),
    register=handlers.register,
)

"""The language feature: /language, the language Steady speaks with the user."""

from __future__ import annotations

from bot.features.base import Command, Feature
from bot.features.language import handlers

FEATURE = Feature(
    name="language",
    prefixes=(handlers.P,),
    commands=(Command("language", "language.command"),),
    register=handlers.register,
)

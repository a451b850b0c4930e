"""The data feature: /export and /delete."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.data import handlers

FEATURE = Feature(
    name="data",
    prefixes=("data",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
)

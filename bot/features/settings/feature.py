"""The settings feature: /settings and its shortcuts, /pause and /resume."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.settings import handlers

FEATURE = Feature(
    name="settings",
    prefixes=("st",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
)

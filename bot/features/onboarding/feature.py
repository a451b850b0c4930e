"""The onboarding feature: /start, what Steady is and is not, timezone, check-in times."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.onboarding import handlers

FEATURE = Feature(
    name="onboarding",
    prefixes=("ob",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
)

"""The script feature: /script: repair-script templates and the "I"-statement check."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.script import handlers
from bot.services import coach, scripts

FEATURE = Feature(
    name="script",
    prefixes=("sc",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    texts=(scripts.LINES, scripts.BLANKS, coach.BLANKS),
)

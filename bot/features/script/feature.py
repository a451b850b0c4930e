"""The script feature: /script: repair-script templates and the "I"-statement check."""

from __future__ import annotations

from bot.features.base import Command, Conversation, Feature
from bot.features.script import handlers
from bot.services import coach, scripts

FEATURE = Feature(
    name="script",
    prefixes=("sc",),
    commands=(Command("script", "script.command_script"),),
    register=handlers.register,
    conversations=(Conversation(handlers.NAME),),
    texts=(scripts.LINES, scripts.BLANKS, coach.BLANKS),
)

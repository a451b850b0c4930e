"""The history feature: /history: past entries, a page at a time."""

from __future__ import annotations

from bot.features.base import Command, Feature
from bot.features.history import handlers
from bot.services import history

FEATURE = Feature(
    name="history",
    prefixes=("hi",),
    commands=(Command("history", "history.command_history"),),
    register=handlers.register,
    texts=(history.FIELDS,),
)

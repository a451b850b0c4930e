"""The trigger feature: /trigger: a thought record of a moment that stirred the user up."""

from __future__ import annotations

from bot.features.base import Command, Feature
from bot.features.trigger import handlers
from bot.features.trigger.records import RECORDS

FEATURE = Feature(
    name="trigger",
    prefixes=("tr",),
    commands=tuple(Command(name, description) for name, description in handlers.COMMANDS),
    register=handlers.register,
    records=RECORDS,
)

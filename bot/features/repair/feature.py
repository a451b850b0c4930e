"""The repair feature: /repair: a repair plan after a conflict, and its follow-up."""

from __future__ import annotations

from bot.features.base import Command, Feature
from bot.features.repair import handlers
from bot.features.repair.records import RECORDS

FEATURE = Feature(
    name="repair",
    prefixes=("rp", "rpf"),
    commands=tuple(Command(name, description) for name, description in handlers.COMMANDS),
    register=handlers.register,
    records=RECORDS,
)

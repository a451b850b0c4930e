"""The checkin feature: Morning and evening check-ins, their prompts, snooze and skip."""

from __future__ import annotations

from bot.features.base import Command, Feature
from bot.features.checkin import handlers
from bot.features.checkin.records import RECORDS

FEATURE = Feature(
    name="checkin",
    prefixes=("ci",),
    commands=tuple(Command(name, description) for name, description in handlers.COMMANDS),
    register=handlers.register,
    records=RECORDS,
)

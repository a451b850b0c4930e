"""The checkin feature: Morning and evening check-ins, their prompts, snooze and skip."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.checkin import handlers, prompts
from bot.features.checkin.records import RECORDS
from bot.services import checkins

FEATURE = Feature(
    name="checkin",
    prefixes=("ci",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    records=RECORDS,
    texts=(prompts.PROMPTS, checkins.ACK_KEPT),
)

"""The repair feature: /repair: a repair plan after a conflict, and its follow-up."""

from __future__ import annotations

from bot.content import t
from bot.engine import opening
from bot.features.base import Command, Feature
from bot.features.repair import followup, handlers, steps
from bot.features.repair.records import RECORDS

FEATURE = Feature(
    name="repair",
    prefixes=("rp", "rpf"),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    records=RECORDS,
    texts=(
        *opening.texts(steps.NAME),
        steps.QUESTIONS,
        steps.WHEN,
        *steps.REPLIES,
        followup.OUTCOMES,
        followup.LEARNED,
    ),
)

"""The trigger feature: /trigger: a thought record of a moment that stirred the user up."""

from __future__ import annotations

from bot.content import t
from bot.engine import opening
from bot.features.base import Command, Feature
from bot.features.trigger import handlers, steps
from bot.features.trigger.records import RECORDS
from bot.services import triggers

FEATURE = Feature(
    name="trigger",
    prefixes=("tr",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    records=RECORDS,
    texts=(*opening.texts(steps.NAME), steps.QUESTIONS, steps.OWN_WORDS, triggers.SUMMARY_LINES),
)

"""The trigger feature: /trigger: a thought record of a moment that stirred the user up."""

from __future__ import annotations

from bot.engine import opening
from bot.features.base import Command, Conversation, Feature
from bot.features.trigger import handlers, steps
from bot.features.trigger.records import RECORDS
from bot.services import triggers

FEATURE = Feature(
    name="trigger",
    prefixes=("tr",),
    commands=(Command("trigger", "trigger.command_trigger"),),
    register=handlers.register,
    conversations=(
        # Left hanging, the log stays a draft the next /trigger offers to continue.
        Conversation(steps.NAME, cancel_note=steps.FLOW.cancel_note),
    ),
    records=RECORDS,
    texts=(*opening.texts(steps.NAME), steps.QUESTIONS, steps.OWN_WORDS, triggers.SUMMARY_LINES),
)

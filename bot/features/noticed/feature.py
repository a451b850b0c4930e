"""The noticed feature: /noticed: a moment someone met the old fear with calm, care or
reliability."""

from __future__ import annotations

from bot.engine import opening
from bot.features.base import Command, Conversation, Feature
from bot.features.noticed import handlers, steps
from bot.features.noticed.records import RECORDS
from bot.services import noticed

FEATURE = Feature(
    name="noticed",
    prefixes=(steps.P,),
    commands=(Command("noticed", "noticed.command_noticed"),),
    register=handlers.register,
    conversations=(
        # Left hanging, the moment stays a draft the next /noticed offers to continue.
        Conversation(steps.NAME, cancel_note=steps.FLOW.cancel_note),
    ),
    records=RECORDS,
    texts=(
        *opening.texts(steps.NAME),
        steps.QUESTIONS,
        noticed.SUMMARY_LINES,
        noticed.EVIDENCE_LINES,
        noticed.PRACTICE_LINES,
        *noticed.EVIDENCE_HEADINGS,
    ),
)

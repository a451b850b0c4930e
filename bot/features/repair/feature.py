"""The repair feature: /repair: a repair plan after a conflict, and its follow-up."""

from __future__ import annotations

from bot.engine import opening
from bot.features.base import Command, Conversation, Feature, Prompt
from bot.features.repair import followup, handlers, steps
from bot.features.repair.records import RECORDS
from bot.services import repairs

FEATURE = Feature(
    name="repair",
    prefixes=("rp", "rpf"),
    commands=(Command("repair", "repair.command_repair"),),
    register=handlers.register,
    conversations=(
        # Left hanging, the plan stays a draft the next /repair offers to continue.
        Conversation(steps.NAME, cancel_note=steps.FLOW.cancel_note),
        Conversation(followup.NAME),
    ),
    prompts=(Prompt(repairs.FOLLOWUP_KIND, followup.send_followup),),
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

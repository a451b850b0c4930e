"""The repair feature: /repair: a repair plan after a conflict, and its follow-up."""

from __future__ import annotations

from bot.features.base import Command, Conversation, Feature, Prompt
from bot.features.repair import ask, followup, handlers
from bot.services import repairs

FEATURE = Feature(
    name="repair",
    prefixes=("rp", "rpf"),
    commands=(Command("repair", "repair.command_repair"),),
    register=handlers.register,
    conversations=(
        # Left hanging, the plan stays a draft the next /repair offers to continue.
        Conversation(ask.NAME, cancel_note=ask.FLOW.cancel_note),
        Conversation(followup.NAME),
    ),
    prompts=(Prompt(repairs.FOLLOWUP_KIND, followup.send_followup),),
)

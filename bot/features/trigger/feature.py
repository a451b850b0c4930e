"""The trigger feature: /trigger: a thought record of a moment that stirred the user up."""

from __future__ import annotations

from bot.features.base import Command, Conversation, Feature
from bot.features.trigger import ask, handlers

FEATURE = Feature(
    name="trigger",
    prefixes=("tr",),
    commands=(Command("trigger", "trigger.command_trigger"),),
    register=handlers.register,
    conversations=(
        # Left hanging, the log stays a draft the next /trigger offers to continue.
        Conversation(ask.NAME, cancel_note=ask.FLOW.cancel_note),
    ),
)

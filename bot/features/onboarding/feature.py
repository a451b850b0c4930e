"""The onboarding feature: /start, what Steady is and is not, timezone, check-in times."""

from __future__ import annotations

from bot.features.base import Command, Conversation, Feature
from bot.features.onboarding import handlers
from bot.outbound.idle import NEVER

FEATURE = Feature(
    name="onboarding",
    prefixes=("ob",),
    commands=(Command("start", "onboarding.command_start"),),
    register=handlers.register,
    # Never closed for idling: it waits for the user to finish setting up, and until then no
    # other conversation can start to be captured by it.
    conversations=(Conversation(handlers.NAME, idle=NEVER),),
)

"""/repair: plan a repair after a conflict, step by step, ending in a script in your own words.

The steps are declared in steps.py. Every answer is saved as it arrives; /cancel keeps the
draft, and /repair offers to continue it or start fresh.
"""

from __future__ import annotations

from telegram.ext import Application, CommandHandler, ConversationHandler

from bot.features.repair import followup as repair_followup
from bot.features.repair.steps import FLOW


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return FLOW.conversation([CommandHandler("repair", FLOW.start_cmd)])


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    repair_followup.register(app)

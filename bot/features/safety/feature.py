"""The safety feature: crisis language answered first, /sos, the safety plan, grounding."""

from __future__ import annotations

from telegram.ext import Application

from bot.engine import flow
from bot.features.base import Command, Conversation, Feature
from bot.features.safety import grounding, handlers, plan
from bot.features.safety.records import RECORDS
from bot.services import safetyplan


def register(app: Application) -> None:  # type: ignore[type-arg]
    plan.register(app)
    grounding.register(app)
    handlers.register(app)  # the crisis handler in group -2, /sos


FEATURE = Feature(
    name="safety",
    prefixes=(plan.P, grounding.P),
    commands=(
        Command("sos", "crisis.command_sos"),
        Command("safetyplan", "safetyplan.command_safetyplan"),
    ),
    register=register,
    conversations=(Conversation(plan.NAME, cancel_note=plan.cancel_note),),
    records=RECORDS,
    texts=(*flow.texts(plan.NAME), plan.QUESTIONS, safetyplan.HEADINGS, grounding.SENSES),
)

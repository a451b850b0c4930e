"""The safety feature: crisis language answered first, /sos, the safety plan, grounding."""

from __future__ import annotations

from telegram.ext import Application

from bot.content import t
from bot.engine import flow
from bot.features.base import Command, Feature
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
    commands=tuple(Command(name, t(key)) for name, key in (*handlers.COMMANDS, *plan.COMMANDS)),
    register=register,
    records=RECORDS,
    texts=(*flow.texts(plan.NAME), plan.QUESTIONS, safetyplan.HEADINGS, grounding.SENSES),
)

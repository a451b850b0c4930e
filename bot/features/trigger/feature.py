"""The trigger feature: /trigger: a thought record of a moment that stirred the user up."""

from __future__ import annotations

from bot.content import t
from bot.engine import draft_flow
from bot.features.base import Command, Feature
from bot.features.trigger import ask, handlers
from bot.services import triggers

FEATURE = Feature(
    name="trigger",
    prefixes=("tr",),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    texts=(*draft_flow.texts(ask.NAME), ask.QUESTIONS, triggers.SUMMARY_LINES),
)

"""The repair feature: /repair: a repair plan after a conflict, and its follow-up."""

from __future__ import annotations

from bot.content import t
from bot.engine import draft_flow
from bot.features.base import Command, Feature
from bot.features.repair import ask, followup, handlers

FEATURE = Feature(
    name="repair",
    prefixes=("rp", "rpf"),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    texts=(
        *draft_flow.texts(ask.NAME),
        ask.QUESTIONS,
        ask.WHEN,
        followup.OUTCOMES,
        followup.LEARNED,
    ),
)

"""The summary feature: /summary and the weekly summary the sweep sends."""

from __future__ import annotations

from bot.content import t
from bot.features.base import Command, Feature
from bot.features.summary import handlers
from bot.services import summary_text

FEATURE = Feature(
    name="summary",
    prefixes=(),
    commands=tuple(Command(name, t(key)) for name, key in handlers.COMMANDS),
    register=handlers.register,
    texts=(summary_text.OUTCOMES,),
)

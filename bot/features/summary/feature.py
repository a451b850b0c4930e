"""The summary feature: /summary and the weekly summary the sweep sends."""

from __future__ import annotations

from bot.features.base import Command, Feature, Prompt
from bot.features.summary import handlers
from bot.services import summary_text

FEATURE = Feature(
    name="summary",
    prefixes=(),
    commands=(Command("summary", "summary.command_summary"),),
    register=handlers.register,
    prompts=(Prompt(handlers.WEEKLY_KIND, handlers.send_weekly),),
    texts=(summary_text.OUTCOMES,),
)

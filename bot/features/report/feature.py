"""The report feature: /report, a PDF of a chosen period to take to a session."""

from __future__ import annotations

from bot.features.base import Command, Conversation, Feature
from bot.features.report import handlers

FEATURE = Feature(
    name="report",
    prefixes=(handlers.P,),
    commands=(Command("report", "report.command_report"),),
    register=handlers.register,
    conversations=(Conversation(handlers.NAME, cancel_note=handlers.cancel_note),),
    texts=handlers.TEXTS,
)

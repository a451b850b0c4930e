"""The settings feature: /settings and its shortcuts, /pause and /resume."""

from __future__ import annotations

from bot.features.base import Command, Conversation, Feature
from bot.features.settings import handlers

FEATURE = Feature(
    name="settings",
    prefixes=("st", "pe"),
    commands=(
        Command("settings", "settings.command_settings"),
        Command("timezone", "settings.command_timezone"),
        Command("morning", "settings.command_morning"),
        Command("evening", "settings.command_evening"),
        Command("weekly", "settings.command_weekly"),
        Command("pause", "settings.command_pause"),
        Command("resume", "settings.command_resume"),
    ),
    register=handlers.register,
    conversations=(Conversation(handlers.NAME),),
)

"""The data feature: /export and /delete."""

from __future__ import annotations

from bot.features.base import Command, Feature
from bot.features.data import handlers

FEATURE = Feature(
    name="data",
    prefixes=("data",),
    commands=(
        Command("export", "data.command_export"),
        Command("delete", "data.command_delete"),
    ),
    register=handlers.register,
)

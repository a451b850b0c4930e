"""What a feature declares: one ``Feature`` value per package (``bot/features/<name>/feature.py``).

``bot/app.py`` loops over ``bot.features.FEATURES``: it adds each feature's handlers in that
order, lists its commands in Telegram's menu and /help in that order, and checks at start-up
that no callback prefix or command is claimed twice (``check``) and that the texts each feature
builds keys for exist (``check_content``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.ext import Application

if TYPE_CHECKING:
    from bot.features.records import Records
from bot.content import keys
from bot.content.keys import Family

#: Adds the feature's handlers to the application.
Register = Callable[[Application], None]  # type: ignore[type-arg]


@dataclass(frozen=True)
class Command:
    """A command in the menu: its name (without the slash) and its one-line description.

    A feature's ``COMMANDS`` pairs each name with the content key of its description
    (``("trigger", "trigger.command_trigger")``); its ``feature.py`` looks the text up."""

    name: str
    description: str


@dataclass(frozen=True)
class Feature:
    """One feature of the bot, as the composition root sees it."""

    name: str
    #: The callback-data prefixes its buttons use (``<prefix>:…``); no two features share one.
    prefixes: tuple[str, ...]
    #: Its commands, in menu order.
    commands: tuple[Command, ...]
    #: Adds its handlers (conversation, buttons, commands) to the application.
    register: Register
    #: What it contributes to /history, /export and /delete (``bot/features/records.py``).
    records: Records | None = None
    #: The families of content keys its code builds at run time (``bot/content/keys.py``).
    texts: tuple[Family, ...] = ()


class FeatureError(RuntimeError):
    """The feature list is inconsistent: the bot does not start (the message says why)."""


def check(features: Iterable[Feature]) -> None:
    """Refuse a feature list where a callback prefix or a command is claimed twice."""
    prefixes: dict[str, str] = {}
    commands: dict[str, str] = {}
    for feature in features:
        for prefix in feature.prefixes:
            if prefix in prefixes:
                raise FeatureError(
                    f"callback prefix {prefix!r} is claimed by both "
                    f"{prefixes[prefix]!r} and {feature.name!r}"
                )
            prefixes[prefix] = feature.name
        for command in feature.commands:
            if command.name in commands:
                raise FeatureError(
                    f"command /{command.name} is claimed by both "
                    f"{commands[command.name]!r} and {feature.name!r}"
                )
            commands[command.name] = feature.name


def check_content(features: Iterable[Feature]) -> None:
    """Refuse a feature whose code builds a content key the catalogues lack."""
    for feature in features:
        for family in feature.texts:
            for key in keys.missing(family.keys):
                raise FeatureError(
                    f"feature {feature.name!r} needs the text {key!r} ({family.pattern!r}), "
                    "which the content catalogues (bot/content/*.toml) lack"
                )

"""What a feature declares: one ``Feature`` value per package (``bot/features/<name>/feature.py``).

A feature's declaration is everything the house needs to know about it; nothing is registered
as a side effect of importing it or of its ``register``. ``bot/app.py`` loops over
``bot.features.FEATURES``: it checks the list (``check``), gathers what the features declare
(``gather``: the menu, /cancel's notes, how idle conversations close, the senders of due
prompts) and installs it into the Application, then adds each feature's handlers in list
order (``add_handlers``). docs/ARCHITECTURE.md, "Features", says what each field is for.
``check_content`` refuses a feature whose texts (its commands' descriptions, the key
families it builds) the catalogues lack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import Application

from bot.content import keys
from bot.content.keys import Family
from bot.features.errors import FeatureError
from bot.handlers.common import conversation_handlers
from bot.handlers.general import CancelNote
from bot.outbound.idle import Idle
from bot.outbound.senders import Sender

App = Application  # type: ignore[type-arg]

if TYPE_CHECKING:
    from bot.features.records import Records

#: Adds the feature's handlers to the application.
Register = Callable[[App], None]


@dataclass(frozen=True)
class Command:
    """A command in the menu and /help: its name (without the slash) and the content key of its
    one-line description (``<catalogue>.command_<name>``)."""

    name: str
    description: str


@dataclass(frozen=True)
class Conversation:
    """A conversation the feature adds (a ``ConversationHandler`` of that name)."""

    name: str
    #: What /cancel (or "stop" after a care message) adds about its draft once the
    #: conversation is left; None: nothing beyond "cancelled".
    cancel_note: CancelNote | None = None
    #: How long it waits for an answer before it counts as left hanging, and what closing it
    #: then does (bot/outbound/idle.py; ``idle.NEVER``: it waits for ever).
    idle: Idle = field(default_factory=Idle)


@dataclass(frozen=True)
class Prompt:
    """A kind of due prompt the feature sends (``due_prompts.kind``) and its sender."""

    kind: str
    sender: Sender


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
    #: Its conversations: every ``ConversationHandler`` its ``register`` adds.
    conversations: tuple[Conversation, ...] = ()
    #: The kinds of due prompt it sends, each with its sender (bot/outbound/senders.py).
    prompts: tuple[Prompt, ...] = ()
    #: What it contributes to /history, /export and /delete (``bot/features/records.py``).
    records: Records | None = None
    #: The families of content keys its code builds at run time (``bot/content/keys.py``).
    texts: tuple[Family, ...] = ()


def _claims(features: Sequence[Feature], general: Sequence[Command]) -> Iterator[tuple[str, str]]:
    """(what, who) for everything a feature claims for itself alone."""
    for command in general:
        yield f"command /{command.name}", "general"
    for feature in features:
        for prefix in feature.prefixes:
            yield f"callback prefix {prefix!r}", feature.name
        for command in feature.commands:
            yield f"command /{command.name}", feature.name
        for conversation in feature.conversations:
            yield f"conversation {conversation.name!r}", feature.name
        for prompt in feature.prompts:
            yield f"prompt kind {prompt.kind!r}", feature.name


def check(features: Sequence[Feature], general: Sequence[Command] = ()) -> None:
    """Refuse a feature list where a callback prefix, a command (``general``: /help and
    /cancel), a conversation name or a prompt kind is claimed twice."""
    owners: dict[str, str] = {}
    for what, who in _claims(features, general):
        if what in owners:
            first = owners[what]
            by = f"twice by {who!r}" if first == who else f"by both {first!r} and {who!r}"
            raise FeatureError(f"{what} is claimed {by}")
        owners[what] = who
    # A text a feature needs but the catalogues lack is refused by ``check_content``.


@dataclass(frozen=True)
class Registry:
    """What the feature list declares, gathered once at start-up (``gather``)."""

    #: (command, content key of its description), in menu order.
    commands: tuple[Command, ...]
    #: Conversation name -> what /cancel adds about it.
    cancel_notes: dict[str, CancelNote]
    #: Conversation name -> when it counts as left hanging and how it is closed.
    idle: dict[str, Idle]
    #: Prompt kind -> its sender.
    senders: dict[str, Sender]


def gather(features: Sequence[Feature], general: Sequence[Command] = ()) -> Registry:
    """Check the list (``check``), then gather its declarations; ``general``'s commands
    (/help, /cancel) are listed last."""
    check(features, general)
    conversations = [c for f in features for c in f.conversations]
    return Registry(
        commands=(*(c for f in features for c in f.commands), *general),
        cancel_notes={c.name: c.cancel_note for c in conversations if c.cancel_note is not None},
        idle={c.name: c.idle for c in conversations},
        senders={p.kind: p.sender for f in features for p in f.prompts},
    )


def add_handlers(app: App, features: Iterable[Feature]) -> None:
    """Each feature's handlers, in list order; a conversation a feature adds without declaring
    it stops the bot (its /cancel note and idle closing would be missed)."""

    def names() -> set[str]:
        return {str(h.name) for h in conversation_handlers(app)}

    for feature in features:
        before = names()
        feature.register(app)
        added = names() - before
        undeclared = sorted(added - {c.name for c in feature.conversations})
        if undeclared:
            raise FeatureError(
                f"feature {feature.name!r} adds conversation {undeclared[0]!r} "
                "without declaring it (Feature.conversations)"
            )


def check_content(features: Iterable[Feature]) -> None:
    """Refuse a feature whose texts the catalogues lack: its commands' descriptions and the
    content keys its code builds at run time (its declared families)."""
    for feature in features:
        for command in feature.commands:
            for key in keys.missing((command.description,)):
                raise FeatureError(
                    f"feature {feature.name!r} describes /{command.name} with the text {key!r}, "
                    "which the content catalogues (bot/content/*.toml) lack"
                )
        for family in feature.texts:
            for key in keys.missing(family.keys):
                raise FeatureError(
                    f"feature {feature.name!r} needs the text {key!r} ({family.pattern!r}), "
                    "which the content catalogues (bot/content/*.toml) lack"
                )

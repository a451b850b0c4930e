"""Senders for due prompts, by kind. The sweep claims due rows and calls the sender of each.

Features register the kinds they own (check-ins: ``morning``/``evening``/``snooze``; the weekly
summary: ``weekly``; repair planning: ``repair_followup``). A sender sends the message and
returns it, or returns None when there is nothing to send any more (the prompt is then
recorded as skipped). Raising a telegram error leaves retrying to the sweep.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message

from bot.handlers.common import Ctx
from bot.models import DuePrompt, User

Sender = Callable[[Ctx, User, DuePrompt], Awaitable[Message | None]]

_senders: dict[str, Sender] = {}


def register_sender(kind: str, sender: Sender) -> None:
    _senders[kind] = sender


def sender_for(kind: str) -> Sender | None:
    return _senders.get(kind)


def kinds() -> list[str]:
    return sorted(_senders)

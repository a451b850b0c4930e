"""Senders for due prompts, by kind. The sweep claims due rows and calls the sender of each.

Features declare the kinds they own with their senders (``Feature.prompts``, bot/features/
base.py: check-ins ``morning``/``evening``/``snooze``, the weekly summary ``weekly``, repair
planning ``repair_followup``); ``bot/app.py`` installs them into the Application at start-up,
so this package never imports a feature. A sender sends the message and returns it, or returns
None when there is nothing to send any more (the prompt is then recorded as skipped). Raising a
telegram error leaves retrying to the sweep.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from telegram import Message
from telegram.ext import Application

from bot.handlers.common import Ctx
from bot.models import DuePrompt, User

Sender = Callable[[Ctx, User, DuePrompt], Awaitable[Message | None]]

App = Application  # type: ignore[type-arg]

#: bot_data: prompt kind -> its sender (``install``).
SENDERS_KEY = "prompt_senders"


def install(app: App, senders: Mapping[str, Sender]) -> None:
    """The senders ``app`` sends due prompts with, by kind (replacing any installed before)."""
    app.bot_data[SENDERS_KEY] = dict(senders)


def sender_for(app: App, kind: str) -> Sender | None:
    senders: dict[str, Sender] = app.bot_data.get(SENDERS_KEY, {})
    return senders.get(kind)


def kinds(app: App) -> list[str]:
    return sorted(app.bot_data.get(SENDERS_KEY, {}))

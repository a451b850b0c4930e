"""When Telegram says a user can no longer be written to, stop writing to them.

Telegram answers 403 Forbidden when the user blocked the bot ("bot was blocked by the user"),
deleted their account ("user is deactivated") or never started it. Any of these on a private
chat marks the user inactive: the sweep sends them no more prompts. They are reactivated when
they write again (``common.current_user``).

Used by the error handler (``general.on_error``) for replies that fail inside a handler; the
sweep does the same for prompts (``sweep_send``): both through ``timetable.stop``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram.error import Forbidden

from bot.services import timetable
from bot.store.db import Database

log = logging.getLogger(__name__)


def recipient_gone(err: BaseException | None) -> bool:
    """True if this error means the private chat can no longer receive messages."""
    return isinstance(err, Forbidden)


def reason(err: BaseException) -> str:
    """A short, log-safe label (Telegram's description says why, never what a user wrote)."""
    text = str(err).lower()
    if "blocked" in text:
        return "blocked"
    if "deactivated" in text:
        return "deactivated"
    return "forbidden"


def mark_gone(db: Database, user_id: int, now: datetime, err: BaseException) -> None:
    timetable.stop(db, user_id, now)
    log.info("user_inactive user_id=%s reason=%s", user_id, reason(err))

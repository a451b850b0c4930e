"""The user's timetable of due prompts.

``reschedule`` is called whenever something that decides prompt times changes (onboarding
finished, timezone, morning/evening/weekly time, pause, resume, writing again after blocking
the bot). It makes the next morning, evening and weekly occurrences the user's only future
pending prompts of those kinds, computed in the user's zone (a zone that no longer parses
counts as UTC).

Pauses: the timetable keeps ticking while a user is paused, but nothing is sent — the sweep
marks each check-in due during the pause as a "paused" rest day (so a pause never breaks a
streak) and moves on to the next occurrence; the first one after the pause ends is sent.
Users who blocked the bot (inactive) get nothing scheduled until they write again.
"""

from __future__ import annotations

from datetime import datetime

from bot.models import User
from bot.services.due import RECURRING, next_due
from bot.store import prompts, users
from bot.store.db import Database


def wanted(user: User, now: datetime) -> dict[str, datetime]:
    """kind → next due instant for the user's recurring prompts (empty when none are due)."""
    if user.onboarded_at is None or not user.active:
        return {}
    result: dict[str, datetime] = {}
    for kind in RECURRING:
        due = next_due(kind, user, now)
        if due is not None:
            result[kind] = due
    return result


def reschedule(db: Database, user_id: int, now: datetime, user: User | None = None) -> None:
    """Recompute the user's pending prompts from their settings as of ``now`` (``user``: their
    row as just written, else read here)."""
    user = user or users.existing(db, user_id)
    if user is None:
        return
    prompts.replace_future(db, user_id, RECURRING, wanted(user, now), now)


def stop(db: Database, user_id: int, now: datetime) -> None:
    """The user can no longer be written to (blocked the bot, deleted their account): marked
    inactive, nothing pending. ``reschedule`` brings their prompts back when they write."""
    users.mark_inactive(db, user_id, now)
    prompts.cancel_pending(db, user_id)

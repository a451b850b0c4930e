"""The user's timetable of due prompts.

``reschedule`` is called whenever something that decides prompt times changes (onboarding
finished, timezone, morning/evening/weekly time, pause, resume). The check-in scheduling work
fills it in; until then it does nothing.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.db import Database


def reschedule(db: Database, user_id: int, now: datetime) -> None:
    """Recompute the user's pending prompts from their settings as of ``now``."""
    return None

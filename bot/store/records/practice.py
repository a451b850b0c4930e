"""Practices in /history (listed once logged, a step reached or a person named), read with
their rung."""

from __future__ import annotations

from typing import Any

from bot.models import PracticeLog, PracticeRung
from bot.store import practice
from bot.store.db import Database
from bot.store.history import Listing, begun

LISTING = Listing("l", PracticeLog, PracticeLog.created_at, begun(PracticeLog, PracticeLog.person))


def related(db: Database, entry: Any) -> list[PracticeRung]:
    """The practice's rung (none when it was skipped or has been deleted)."""
    if entry.rung_id is None:
        return []
    rung = practice.RUNGS.get(db, entry.user_id, entry.rung_id)
    return [] if rung is None else [rung]

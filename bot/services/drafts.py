"""Flows answered one step at a time (the trigger log, repair planning).

A user has at most one draft per flow: the latest row with status ``draft``. Each answer is
written as it arrives and ``step`` records the last step answered (or skipped), so a draft can
be resumed after /cancel or a restart. Starting fresh puts the old draft aside.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import EllipsisType

from bot.models import User
from bot.services.profile import local_today
from bot.store.db import Database
from bot.store.drafts import DraftTable, Row


def next_step(steps: Sequence[str], step: str | None) -> str | None:
    """The step after ``step`` (the first one for None or an unknown step); None after the last."""
    if step is None or step not in steps:
        return steps[0]
    index = steps.index(step) + 1
    return steps[index] if index < len(steps) else None


def answered(steps: Sequence[str], step: str | None) -> int:
    """How many steps have been answered or skipped when ``step`` was the last one."""
    return steps.index(step) + 1 if step in steps else 0


def start(
    db: Database,
    table: DraftTable[Row],
    user: User,
    now: datetime,
    has_answers: Callable[[Row], bool],
    found: Row | None | EllipsisType = ...,
) -> Row:
    """A draft to fill: an untouched draft is reused, otherwise a new one is created.
    ``found``: the user's open draft (or None) as the caller has just read it."""
    draft = table.latest_draft(db, user.id) if isinstance(found, EllipsisType) else found
    if draft is not None and not has_answers(draft):
        return draft
    return table.create(db, user.id, local_today(user, now), now)


def start_fresh(db: Database, table: DraftTable[Row], user: User, now: datetime) -> Row:
    """Put every draft aside and begin a new one."""
    table.close_drafts(db, user.id, now)
    return table.create(db, user.id, local_today(user, now), now)

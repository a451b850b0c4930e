"""Practices in /history (listed once logged, a step reached or a person named), read with
their rung, and in the summary (how many, and the distress before → after)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import col

from bot.models import PracticeLog, PracticeRung
from bot.store import practice
from bot.store.db import Database
from bot.store.history import Listing, begun
from bot.store.summary_sql import COMPLETED, Counts, SummaryPart, count_if, in_period, typed

LESSON = "pl"  # the tag of its typed lessons

LISTING = Listing("l", PracticeLog, PracticeLog.created_at, begun(PracticeLog, PracticeLog.person))


def related(db: Database, entry: Any) -> list[PracticeRung]:
    """The practice's rung (none when it was skipped or has been deleted)."""
    if entry.rung_id is None:
        return []
    rung = practice.RUNGS.get(db, entry.user_id, entry.rung_id)
    return [] if rung is None else [rung]


# --- the summary: practices done, and distress before → after ---------------------------------


@dataclass(frozen=True, slots=True)
class PracticeStats:
    done: int = 0  # logged (finished)
    rated: int = 0  # of those, with the distress before and after
    before: float | None = None  # mean distress before (of the rated ones)
    after: float | None = None  # and after
    lessons: tuple[tuple[str, int], ...] = ()  # what was learned, in the user's words


def _totals() -> Any:
    m = PracticeLog
    both = and_(col(m.before).is_not(None), col(m.after).is_not(None))
    done = col(m.status) == COMPLETED
    return (
        select(
            count_if(done).label("done"),
            count_if(and_(done, both)).label("rated"),
            func.avg(case((and_(done, both), col(m.before)))).label("before"),
            func.avg(case((and_(done, both), col(m.after)))).label("after"),
        )
        .where(in_period(m))
        .subquery()
    )


def _read(totals: Mapping[str, Any], counts: Counts) -> PracticeStats:
    def mean(value: Any) -> float | None:
        return None if value is None else float(value)

    return PracticeStats(
        done=int(totals["done"]),
        rated=int(totals["rated"]),
        before=mean(totals["before"]),
        after=mean(totals["after"]),
        lessons=counts(LESSON),
    )


def _themes() -> tuple[Any, ...]:
    return (typed(PracticeLog, col(PracticeLog.learned), LESSON),)


SUMMARY = SummaryPart(
    name="practices",
    totals=_totals,
    read=_read,
    practised=lambda stats: stats.done > 0,
    activity=((PracticeLog, col(PracticeLog.status) == COMPLETED),),
    themes=_themes,
)

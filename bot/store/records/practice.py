"""Practices in /history (listed once logged, a step reached or a person named), read with
their rung, and in the summary (how many, and the distress before → after)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
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
    #: Per rung practised (its words, how many rated, mean before, mean after), most first.
    rungs: tuple[RungFigures, ...] = ()
    #: Per day with a rated practice: the mean distress afterwards (the chart's points).
    days: tuple[tuple[date, float], ...] = ()


@dataclass(frozen=True, slots=True)
class RungFigures:
    text: str | None  # the rung's words (None: skipped, or since deleted)
    rated: int
    before: float
    after: float


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


def _detail(db: Database, user_id: int, first: date, last: date, stats: Any) -> PracticeStats:
    """Distress before → after per rung and per day: the rungs' words are encrypted at rest,
    so the logs are grouped here rather than in SQL (a week holds a handful)."""
    rated = [
        log
        for log in practice.logs_between(db, user_id, first, last)
        if log.before is not None and log.after is not None
    ]
    if not rated:
        return stats  # type: ignore[no-any-return]
    words = {rung.id: rung.text for rung in practice.ladder(db, user_id)}
    by_rung: dict[int | None, list[PracticeLog]] = {}
    by_day: dict[date, list[int]] = {}
    for log in rated:
        by_rung.setdefault(log.rung_id, []).append(log)
        by_day.setdefault(log.local_date, []).append(log.after or 0)
    rungs = [
        RungFigures(
            words.get(rung_id) if rung_id is not None else None,
            len(logs),
            sum(log.before or 0 for log in logs) / len(logs),
            sum(log.after or 0 for log in logs) / len(logs),
        )
        for rung_id, logs in by_rung.items()
    ]
    rungs.sort(key=lambda r: -r.rated)
    days = tuple(sorted((day, sum(v) / len(v)) for day, v in by_day.items()))
    return replace(stats, rungs=tuple(rungs), days=days)


SUMMARY = SummaryPart(
    name="practices",
    totals=_totals,
    read=_read,
    practised=lambda stats: stats.done > 0,
    activity=((PracticeLog, col(PracticeLog.status) == COMPLETED),),
    themes=_themes,
    detail=_detail,
    chart=lambda stats: dict(stats.days),
)

"""Thought records in /history (listed once finished, a step reached or a situation written)
and in the summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import col

from bot.models import TriggerEntry
from bot.store.checkins import has_choice
from bot.store.history import Listing, begun
from bot.store.summary_sql import (
    COMPLETED,
    EMOTION,
    Counts,
    SummaryPart,
    count_if,
    in_period,
    json_ids,
    started,
    typed,
)

LISTING = Listing(
    "t", TriggerEntry, TriggerEntry.created_at, begun(TriggerEntry, TriggerEntry.situation)
)


# --- the summary: thought records logged and started, who and where, traps, intensities ------

TRAP, PERSON, CONTEXT = "d", "p", "c"  # tags of its counts

#: A thought record with an answer (``services.triggers.has_answers``): a step answered or
#: skipped, or emotions chosen.
ANSWERED = or_(col(TriggerEntry.step).is_not(None), has_choice(col(TriggerEntry.emotions)))


@dataclass(frozen=True, slots=True)
class TriggerStats:
    logged: int = 0  # finished
    started: int = 0  # answered in part, not finished
    before_avg: float | None = None
    after_avg: float | None = None
    people: tuple[tuple[str, int], ...] = ()
    contexts: tuple[tuple[str, int], ...] = ()
    distortions: tuple[tuple[str, int], ...] = ()


def _totals() -> Any:
    both_rated = and_(
        col(TriggerEntry.intensity_before).is_not(None),
        col(TriggerEntry.intensity_after).is_not(None),
    )
    return (
        select(
            count_if(col(TriggerEntry.status) == COMPLETED).label("logged"),
            count_if(started(TriggerEntry, ANSWERED)).label("started"),
            func.avg(case((both_rated, col(TriggerEntry.intensity_before)))).label("before"),
            func.avg(case((both_rated, col(TriggerEntry.intensity_after)))).label("after"),
        )
        .where(in_period(TriggerEntry))
        .subquery()
    )


def _ids(dialect: str) -> tuple[Any, ...]:
    return (
        json_ids(dialect, TriggerEntry, col(TriggerEntry.emotions), EMOTION),
        json_ids(dialect, TriggerEntry, col(TriggerEntry.distortions), TRAP),
    )


def _themes() -> tuple[Any, ...]:
    return (
        typed(TriggerEntry, col(TriggerEntry.person), PERSON),
        typed(TriggerEntry, col(TriggerEntry.context), CONTEXT),
    )


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _read(totals: Mapping[str, Any], counts: Counts) -> TriggerStats:
    if not totals["logged"] and not totals["started"]:
        return TriggerStats()
    return TriggerStats(
        logged=int(totals["logged"]),
        started=int(totals["started"]),
        before_avg=_float(totals["before"]),
        after_avg=_float(totals["after"]),
        people=counts(PERSON),
        contexts=counts(CONTEXT),
        distortions=counts(TRAP),
    )


SUMMARY = SummaryPart(
    name="triggers",
    totals=_totals,
    read=_read,
    practised=lambda stats: stats.logged + stats.started > 0,
    activity=((TriggerEntry, or_(col(TriggerEntry.status) == COMPLETED, ANSWERED)),),
    ids=_ids,
    themes=_themes,
)

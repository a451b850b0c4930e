"""Moments noticed in /history (listed once finished, a step reached or a person named) and in
the weekly summary (how many, and what they told the user, in their words)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from bot.models import NoticedMoment
from bot.store.history import Listing, begun
from bot.store.summary_sql import COMPLETED, Counts, SummaryPart, count_if, in_period, typed

LISTING = Listing(
    "n", NoticedMoment, NoticedMoment.created_at, begun(NoticedMoment, NoticedMoment.person)
)

MEANING = "m"  # the tag of its counts: "what it tells me", typed (decrypted on read)
_DONE = col(NoticedMoment.status) == COMPLETED


@dataclass(frozen=True, slots=True)
class NoticedStats:
    noticed: int = 0  # finished moments in the period
    meanings: tuple[tuple[str, int], ...] = ()  # what they told the user, in their words


def _totals() -> Any:
    return select(count_if(_DONE).label("noticed")).where(in_period(NoticedMoment)).subquery()


def _themes() -> tuple[Any, ...]:
    return (typed(NoticedMoment, col(NoticedMoment.meaning), MEANING).where(_DONE),)


def _read(totals: Mapping[str, Any], counts: Counts) -> NoticedStats:
    if not totals["noticed"]:
        return NoticedStats()
    return NoticedStats(noticed=int(totals["noticed"]), meanings=counts(MEANING))


SUMMARY = SummaryPart(
    name="noticed",
    totals=_totals,
    read=_read,
    practised=lambda stats: stats.noticed > 0,
    activity=((NoticedMoment, _DONE),),
    themes=_themes,
)

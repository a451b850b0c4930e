"""Repair plans in /history (listed once finished, a step reached or a person named) and in the
summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import col

from bot.columns import FreeText
from bot.models import RepairPlan
from bot.store.history import Listing, begun
from bot.store.summary_sql import COMPLETED, Counts, SummaryPart, count_if, in_period, started

LISTING = Listing("r", RepairPlan, RepairPlan.created_at, begun(RepairPlan, RepairPlan.person))


# --- the summary: plans made and started, follow-ups and how they went ----------------------

#: A repair plan with an answer (``services.repairs.has_answers``): a step answered or
#: skipped, or any of its typed answers (its free-text columns).
ANSWERED = or_(
    col(RepairPlan.step).is_not(None),
    *(c.is_not(None) for c in RepairPlan.__table__.c if isinstance(c.type, FreeText)),  # type: ignore[attr-defined]
)
OUTCOMES = ("happened", "not_yet", "badly")


@dataclass(frozen=True, slots=True)
class RepairStats:
    planned: int = 0  # finished
    started: int = 0  # answered in part, not finished
    followed_up: int = 0
    outcomes: tuple[tuple[str, int], ...] = ()  # happened / not_yet / badly


def _totals() -> Any:
    outcome = col(RepairPlan.followup_outcome)
    return (
        select(
            count_if(col(RepairPlan.status) == COMPLETED).label("planned"),
            count_if(started(RepairPlan, ANSWERED)).label("started"),
            *(count_if(outcome == name).label(name) for name in OUTCOMES),
            func.count(outcome).label("followed"),  # follow-ups exist for finished plans only
        )
        .where(in_period(RepairPlan))
        .subquery()
    )


def _read(totals: Mapping[str, Any], counts: Counts) -> RepairStats:
    return RepairStats(
        planned=int(totals["planned"]),
        started=int(totals["started"]),
        followed_up=int(totals["followed"]),
        outcomes=tuple((o, int(totals[o])) for o in OUTCOMES if totals[o]),
    )


SUMMARY = SummaryPart(
    name="repairs",
    totals=_totals,
    read=_read,
    practised=lambda stats: stats.planned + stats.started > 0,
    activity=((RepairPlan, or_(col(RepairPlan.status) == COMPLETED, ANSWERED)),),
)

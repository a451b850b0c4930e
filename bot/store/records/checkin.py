"""Check-ins in /history (listed once they hold an answer, with the commitments made in one)
and their feelings and commitments in the summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy import true as sql_true
from sqlmodel import col

from bot.models import CheckIn, Commitment
from bot.store.checkins import PRACTISED
from bot.store.db import Database
from bot.store.history import Listing
from bot.store.summary_sql import EMOTION, Counts, SummaryPart, count_if, in_period, json_ids

_ANSWERS = (
    CheckIn.intensity,
    CheckIn.need,
    CheckIn.interactions,
    CheckIn.interactions_note,
    CheckIn.triggered,
    CheckIn.repair,
    CheckIn.commitment_kept,
    CheckIn.lesson,
)

LISTING = Listing(
    kind="c",
    model=CheckIn,
    at=CheckIn.started_at,
    readable=or_(
        col(CheckIn.status) == "completed",
        cast(CheckIn.emotions, String) != "[]",
        *(col(c).is_not(None) for c in _ANSWERS),
    ),
)


def commitments_of(db: Database, checkin: CheckIn) -> list[Commitment]:
    """The commitments made in a check-in (by link, or on the same day for a morning one)."""
    link = col(Commitment.checkin_id) == checkin.id
    if checkin.kind == "morning":
        same_day = (col(Commitment.checkin_id).is_(None)) & (
            col(Commitment.local_date) == checkin.local_date
        )
        link = or_(link, same_day)
    with db.session() as s:
        query = (
            select(Commitment)
            .where(col(Commitment.user_id) == checkin.user_id, link)
            .order_by(col(Commitment.id))
        )
        return list(s.exec(query).scalars())  # type: ignore[call-overload]


# --- the summary: feelings chosen and commitments (days and streaks are the summary's own) ---


@dataclass(frozen=True, slots=True)
class CommitmentStats:
    made: int = 0
    kept: int = 0
    partly: int = 0


def _totals() -> Any:
    return (
        select(
            func.count().label("made"),
            count_if(col(Commitment.outcome) == "yes").label("kept"),
            count_if(col(Commitment.outcome) == "partly").label("partly"),
        )
        .where(in_period(Commitment))
        .subquery()
    )


def _ids(dialect: str) -> tuple[Any, ...]:
    return (json_ids(dialect, CheckIn, col(CheckIn.emotions), EMOTION),)


def _read(totals: Mapping[str, Any], counts: Counts) -> CommitmentStats:
    return CommitmentStats(int(totals["made"]), int(totals["kept"]), int(totals["partly"]))


SUMMARY = SummaryPart(
    name="commitments",
    totals=_totals,
    read=_read,
    practised=lambda stats: stats.made > 0,
    activity=((CheckIn, PRACTISED), (Commitment, sql_true())),
    ids=_ids,
)

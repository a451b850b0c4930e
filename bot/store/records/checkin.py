"""Check-ins in /history: listed once they hold an answer; the commitments made in one."""

from __future__ import annotations

from sqlalchemy import String, cast, or_, select
from sqlmodel import col

from bot.models import CheckIn, Commitment
from bot.store.db import Database
from bot.store.history import Listing

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

"""The rows of one period for /report, streamed (``yield_per``), never loaded all at once.

Each kind is read with the condition /history lists it by (its ``Listing.readable``: finished,
or something answered), between two local dates (inclusive), oldest first, the user's own rows
only. The commitments of the period are few (one or two a day) and are read whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import col

from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.store.db import Database
from bot.store.history import Listing
from bot.store.records import checkin, repair, trigger

BATCH = 200

#: The kinds of rows a report reads, by section name.
LISTINGS: dict[str, Listing] = {
    "checkins": checkin.LISTING,
    "thoughts": trigger.LISTING,
    "repairs": repair.LISTING,
}

M = TypeVar("M", CheckIn, TriggerEntry, RepairPlan)


def _where(listing: Listing, user_id: int, start: date, end: date) -> tuple[Any, ...]:
    model = listing.model
    return (
        col(model.user_id) == user_id,
        col(model.local_date).between(start, end),
        listing.readable,
    )


def count(db: Database, kind: str, user_id: int, start: date, end: date) -> int:
    """How many rows of ``kind`` (a key of ``LISTINGS``) the period holds."""
    listing = LISTINGS[kind]
    query = (
        select(func.count()).select_from(listing.model).where(*_where(listing, user_id, start, end))
    )
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def rows(db: Database, kind: str, user_id: int, start: date, end: date) -> Iterator[Any]:
    """The period's rows of ``kind``, oldest first, in batches of ``BATCH``."""
    listing = LISTINGS[kind]
    model = listing.model
    query = (
        select(model)
        .where(*_where(listing, user_id, start, end))
        .order_by(col(model.local_date), col(listing.at), col(model.id))
        .execution_options(yield_per=BATCH)
    )
    with db.session() as s:
        for row in s.execute(query).scalars():
            yield row
            s.expunge(row)  # a batch read is not kept in the session's identity map


def commitments(db: Database, user_id: int, start: date, end: date) -> list[Commitment]:
    """The commitments made in the period (by day: at most a few a day)."""
    query = (
        select(Commitment)
        .where(col(Commitment.user_id) == user_id, col(Commitment.local_date).between(start, end))
        .order_by(col(Commitment.local_date), col(Commitment.id))
    )
    with db.session() as s:
        return list(s.execute(query).scalars())

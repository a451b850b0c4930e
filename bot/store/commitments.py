"""Commitments made in the morning check-in, and whether they held (the evening's answer).

Single Core statements (no ORM session): the check-in's last steps write and read one each.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import col, select

from bot.models import Commitment
from bot.store.db import Database, snapshot

T = Commitment.__table__  # type: ignore[attr-defined]
_VALUES: dict[str, Any] = {c.name: bindparam(c.name) for c in T.c if c.name != "id"}
_INSERT = T.insert().values(_VALUES).returning(*T.c)
_LATEST_FOR_DAY = (
    T.select()
    .where(T.c.user_id == bindparam("user_id"), T.c.local_date == bindparam("local_date"))
    .order_by(T.c.created_at.desc(), T.c.id.desc())
    .limit(1)
)
_OUTCOME = (
    T.update()
    .where(T.c.id == bindparam("_id"), T.c.user_id == bindparam("_user_id"))
    .values(outcome=bindparam("outcome"), resolved_at=bindparam("resolved_at"))
    .returning(*T.c)
)


def add_commitment(
    db: Database,
    user_id: int,
    local_date: date,
    now: datetime,
    *,
    checkin_id: int | None,
    text: str | None = None,
    suggestion_id: str | None = None,
) -> Commitment:
    values = Commitment(
        user_id=user_id,
        local_date=local_date,
        text=text,
        suggestion_id=suggestion_id,
        checkin_id=checkin_id,
        created_at=now,
    ).model_dump(exclude={"id"})
    # An INSERT is not run twice on a dropped connection (it would add a second row).
    row = db.single(_INSERT, values, retry=False)
    return snapshot(Commitment, row)


def commitment_for(db: Database, user_id: int, local_date: date) -> Commitment | None:
    """The user's latest commitment made for ``local_date`` (a read-only snapshot)."""
    row = db.single(_LATEST_FOR_DAY, {"user_id": user_id, "local_date": local_date})
    return None if row is None else snapshot(Commitment, row)


def set_outcome(
    db: Database, user_id: int, commitment_id: int, outcome: str, now: datetime
) -> Commitment | None:
    """Whether it held; None if it is not the user's (one UPDATE, safe to run twice)."""
    params = {"_id": commitment_id, "_user_id": user_id, "outcome": outcome, "resolved_at": now}
    row = db.single(_OUTCOME, params)
    return None if row is None else snapshot(Commitment, row)


def commitments_for_user(db: Database, user_id: int) -> list[Commitment]:
    with db.session() as s:
        query = select(Commitment).where(col(Commitment.user_id) == user_id)
        return list(s.exec(query.order_by(col(Commitment.created_at))).all())

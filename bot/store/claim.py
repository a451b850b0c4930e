"""One sweep tick's transaction: claim due prompts and make the writes their plan needs.

Claim, read what the plan needs of the users concerned, let the caller's pure ``planner``
decide, then write the next occurrences (one multi-row INSERT … ON CONFLICT DO NOTHING), mark
skipped prompts and record paused check-ins — all in one short transaction, so a tick costs a
handful of statements whatever the number of due prompts, and nothing is half done after a
crash. Rows travel as plain mappings and SQLAlchemy Core rows: building ORM objects for a
thousand users would cost more than all the SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import Date, and_, bindparam, func, or_
from sqlalchemy import update as sa_update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session
from sqlmodel import col, select

from bot.models import CLAIMABLE, CheckIn, DuePrompt, User
from bot.store import prompts
from bot.store.checkins import PRACTISED
from bot.store.db import Database

#: A claim held this long by a sweeper that never reported back is considered abandoned.
STALE_CLAIM = timedelta(minutes=10)
#: Wait before retrying a released prompt, by attempts made so far (the last one repeats).
RETRY_BACKOFF: tuple[timedelta, ...] = (
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=5),
)

DP = DuePrompt.__table__  # type: ignore[attr-defined]
U = User.__table__  # type: ignore[attr-defined]
C = CheckIn.__table__  # type: ignore[attr-defined]
#: The earliest local date a claimed check-in prompt can belong to (the day before the
#: oldest one's UTC date: no zone is a day behind UTC), so the look-up below reads few rows.
SINCE = bindparam("since", type_=Date)


def _answered_on(kind: str) -> Any:
    """The user's latest local day (from SINCE on) with a check-in of ``kind`` answered, in
    part or in full: a prompt for that day is not sent (services/due.py). A correlated
    subquery on the ``(user_id, local_date)`` index, a few rows per user."""
    return (
        select(func.max(C.c.local_date))
        .where(C.c.user_id == U.c.id, C.c.kind == kind, C.c.local_date >= SINCE, PRACTISED)
        .correlate(U)
        .scalar_subquery()
        .label(f"{kind}_answered_on")
    )


#: The user columns that decide what happens to a prompt (see services/due.py).
PLAN_COLUMNS = (
    U.c.id,
    U.c.timezone,
    U.c.morning_time,
    U.c.evening_time,
    U.c.weekly_day,
    U.c.weekly_time,
    U.c.paused,
    U.c.paused_until,
    U.c.active,
    U.c.onboarded_at.is_not(None).label("onboarded_at"),  # a flag is all the plan needs
    U.c.summary_requested_at,
    _answered_on("morning"),
    _answered_on("evening"),
)


def _claimable(now: datetime, until: datetime | None = None) -> Any:
    """Rows a sweeper may take now: due (by ``until``, default ``now``: a burst is sent a
    little ahead of its time) and pending, released for a retry, or abandoned."""
    released = [
        and_(DP.c.attempts == attempts, DP.c.claimed_at <= now - wait)
        for attempts, wait in enumerate(RETRY_BACKOFF[:-1], start=1)
    ]
    released.append(
        and_(DP.c.attempts >= len(RETRY_BACKOFF), DP.c.claimed_at <= now - RETRY_BACKOFF[-1])
    )
    return and_(
        DP.c.due_at <= (now if until is None else max(now, until)),
        CLAIMABLE,  # state is pending or claimed, as the partial index's own text
        or_(
            DP.c.state == prompts.PENDING,
            and_(DP.c.claimed_by.is_(None), or_(*released)),
            and_(DP.c.claimed_by.is_not(None), DP.c.claimed_at <= now - STALE_CLAIM),
        ),
        DP.c.sent_at.is_(None),
    )


#: What a sweep needs of a claimed row (fewer columns: a cheaper RETURNING).
CLAIM_COLUMNS = (
    DP.c.id,
    DP.c.user_id,
    DP.c.kind,
    DP.c.payload,
    DP.c.ref_id,
    DP.c.due_at,
    DP.c.attempts,
)


def due_counts(db: Database, now: datetime, horizon: datetime) -> list[tuple[datetime, int]]:
    """How many prompts a sweeper could take, by due time, up to ``horizon`` (those already
    due included), in due order: what decides how early a burst begins (services/due.py)."""
    statement = (
        select(DP.c.due_at, func.count())
        .where(_claimable(now, horizon))
        .group_by(DP.c.due_at)
        .order_by(DP.c.due_at)
    )
    with db.session() as s:
        return [(due, int(n)) for due, n in s.execute(statement).all()]


def claim_due(
    session: Session, now: datetime, worker: str, limit: int, until: datetime | None = None
) -> list[RowMapping]:
    """Claim up to ``limit`` prompts due by ``until`` (default ``now``) for ``worker`` inside
    the caller's transaction.

    Returns the claimed rows as mappings of ``CLAIM_COLUMNS`` (oldest due first). Commit
    promptly: on PostgreSQL the rows stay locked until then.
    """
    condition = _claimable(now, until)
    inner = DP.select().with_only_columns(DP.c.id).where(condition)
    inner = inner.order_by(DP.c.due_at, DP.c.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # A CTE runs once; an IN (subquery … LIMIT … SKIP LOCKED) may be re-run by the
        # planner and then claim more than ``limit`` rows.
        due = inner.with_for_update(skip_locked=True).cte("due")
        target = sa_update(DP).where(DP.c.id == due.c.id, condition)
    else:
        target = sa_update(DP).where(DP.c.id.in_(inner.scalar_subquery()), condition)
    statement = target.values(
        state=prompts.CLAIMED,
        claimed_by=worker,
        claimed_at=now,
        attempts=DP.c.attempts + 1,
    ).returning(*CLAIM_COLUMNS)
    rows = list(session.execute(statement).mappings())
    rows.sort(key=lambda r: (r["due_at"], r["id"]))
    return rows


class TickPlan(Protocol):
    next_rows: list[tuple[int, str, datetime]]
    skipped_ids: list[int]
    rest_days: list[tuple[int, str, date, int]]


P = TypeVar("P", bound=TickPlan)


def claim_tick(
    db: Database,
    now: datetime,
    worker: str,
    limit: int,
    planner: Callable[[Sequence[Any], Mapping[int, Any]], P],
    until: datetime | None = None,
) -> tuple[list[RowMapping], P | None]:
    """Claim up to ``limit`` due prompts and apply ``planner``'s writes; one transaction.

    The planner gets the claimed rows and, by user id, rows with the ``PLAN_COLUMNS`` of
    each user concerned (attribute access, like a User).
    """
    with db.session() as s:
        claimed = claim_due(s, now, worker, limit, until)
        if not claimed:
            return [], None
        ids = sorted({row["user_id"] for row in claimed})
        since = min(row["due_at"] for row in claimed).date() - timedelta(days=1)
        found = s.execute(
            U.select().with_only_columns(*PLAN_COLUMNS).where(U.c.id.in_(ids)), {"since": since}
        )
        plan = planner(claimed, {row.id: row for row in found})
        prompts.insert_ignore(s, [prompts.row(u, k, d, now) for u, k, d in plan.next_rows])
        prompts.mark_skipped_many(s, plan.skipped_ids, worker)
        if plan.rest_days:
            s.execute(
                CheckIn.__table__.insert(),  # type: ignore[attr-defined]
                [
                    {
                        "user_id": user_id,
                        "kind": kind,
                        "local_date": day,
                        "status": "paused",
                        "prompt_id": prompt_id,
                        "started_at": now,
                        "updated_at": now,
                        "completed_at": now,
                        "emotions": [],
                    }
                    for user_id, kind, day, prompt_id in plan.rest_days
                ],
            )
        return claimed, plan


def users_by_id(db: Database, ids: Iterable[int]) -> dict[int, User]:
    """Full user rows, for the prompts about to be sent."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    with db.session() as s:
        return {u.id: u for u in s.exec(select(User).where(col(User.id).in_(wanted))).all()}

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
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import RowMapping
from sqlmodel import col, select

from bot.models import CheckIn, User
from bot.store import prompts
from bot.store.db import Database

U = User.__table__  # type: ignore[attr-defined]
#: The user columns that decide what happens to a prompt (see services/sweep.py).
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
)


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
) -> tuple[list[RowMapping], P | None]:
    """Claim up to ``limit`` due prompts and apply ``planner``'s writes; one transaction.

    The planner gets the claimed rows and, by user id, rows with the ``PLAN_COLUMNS`` of
    each user concerned (attribute access, like a User).
    """
    with db.session() as s:
        claimed = prompts.claim_due(s, now, worker, limit)
        if not claimed:
            return [], None
        ids = sorted({row["user_id"] for row in claimed})
        found = s.execute(U.select().with_only_columns(*PLAN_COLUMNS).where(U.c.id.in_(ids)))
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

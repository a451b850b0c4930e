"""One sweep tick's transaction: claim due prompts and make the writes their plan needs.

Claim, read the users concerned, let the caller's pure ``planner`` decide, then write the
next occurrences (one multi-row INSERT … ON CONFLICT DO NOTHING), mark skipped prompts and
record paused check-ins — all in one short transaction, so a tick costs a handful of
statements whatever the number of due prompts, and nothing is half done after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlmodel import col, select

from bot.models import CheckIn, User
from bot.store import prompts
from bot.store.db import Database


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
    planner: Callable[[Sequence[Mapping[str, Any]], Mapping[int, User]], P],
) -> tuple[list[dict[str, Any]], dict[int, User], P | None]:
    """Claim up to ``limit`` due prompts and apply ``planner``'s writes; one transaction."""
    with db.session() as s:
        claimed = prompts.claim_due(s, now, worker, limit)
        if not claimed:
            return [], {}, None
        ids = sorted({row["user_id"] for row in claimed})
        found = s.exec(select(User).where(col(User.id).in_(ids))).all()
        users = {user.id: user for user in found}
        plan = planner(claimed, users)
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
        return claimed, users, plan

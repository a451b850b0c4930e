"""A burst of check-ins centred on its time (issue 18): ``python -m bench.burst``.

N users chose the same minute; at ``rate`` messages a second they take N/rate seconds to
reach. The sweep sends ahead so that the burst is centred on its time (services/due.py,
``send_ahead_until``): nobody's prompt should arrive more than N/(2 × rate) + 10 s from the
time they chose, and none more than 10 minutes early — which, for a burst that takes more than
20 minutes to send (36,000 prompts at 30/s), moves the bound to N/rate − 10 min + 10 s late.

What is real: the database (SQLite or PostgreSQL), the due table, and the sweep's own calls —
``due_counts`` once per run, ``claim_tick`` in chunks of ``CHUNK`` with the planner writing
each user's next occurrence, ``mark_sent`` once per message — in the order the sweep makes
them. What is simulated: time and Telegram. A virtual clock moves one second at a time and
``rate`` messages leave each second (the pace bot/ratelimit.py keeps), so an hour-long burst
runs in the time its SQL takes. Sending itself (the fake Bot API server and its flood limits)
is measured by ``python -m bench outbound``; this measures when each prompt is claimed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bench.databases import discard, fresh_pg, fresh_sqlite, pg_available
from bench.stats import Result, percentile
from bot.models import DuePrompt, User
from bot.outbound.sweep import CHUNK
from bot.services.due import MAX_LEAD, plan, send_ahead_until
from bot.store import prompts
from bot.store.claim import claim_tick, due_counts
from bot.store.db import Database

DUE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
WORKER = "bench:burst"


def seed(db: Database, users: int, due: datetime = DUE, timezone: str = "Europe/Berlin") -> None:
    """``users`` onboarded users (ids 1…), every one's morning check-in due at ``due``: local
    08:00 by default (DUE, in Berlin); bench/replicas_burst.py seeds its own time in UTC."""
    made = due - timedelta(days=1)
    morning = f"{due.astimezone(ZoneInfo(timezone)):%H:%M}"
    with db.session() as s:  # one transaction: two replicas' sweeps see every prompt at once
        for start in range(1, users + 1, 10_000):
            ids = range(start, min(users, start + 9_999) + 1)
            user_rows = [
                {
                    "id": i, "chat_id": i, "first_name": f"U{i}", "timezone": timezone,
                    "morning_time": morning, "evening_time": "21:00", "weekly_day": 6,
                    "weekly_time": "19:00", "paused": False, "active": True,
                    "onboarded_at": made, "created_at": made, "updated_at": made,
                }
                for i in ids
            ]  # fmt: skip
            prompt_rows = [
                {"user_id": i, "kind": "morning", "due_at": due, "state": "pending",
                 "attempts": 0, "created_at": made}
                for i in ids
            ]  # fmt: skip
            s.execute(User.__table__.insert(), user_rows)  # type: ignore[attr-defined]
            s.execute(DuePrompt.__table__.insert(), prompt_rows)  # type: ignore[attr-defined]


def simulate(db: Database, users: int, rate: int) -> dict[str, Any]:
    """Drive the sweep's database calls second by second; when each prompt left."""
    # From 30 s before the burst should begin (idle ticks before that cost the same each).
    now = DUE - min(MAX_LEAD, timedelta(seconds=users / (2 * rate))) - timedelta(seconds=30)
    queue: deque[Any] = deque()
    seen: set[int] = set()
    lateness: list[float] = []
    duplicates = 0
    run_until: datetime | None = None  # the current run's reach; None between runs
    more = False
    tick_ms: list[float] = []
    started = time.perf_counter()
    while len(lateness) < users and now < DUE + timedelta(hours=2):
        begun = time.perf_counter()
        if run_until is None:  # a new tick: how far ahead this run sends
            run_until = send_ahead_until(now, due_counts(db, now, now + MAX_LEAD), rate)
            more = True
        while more and len(queue) < 2 * rate:  # the sweep keeps a chunk or two claimed
            at = now
            claimed, _ = claim_tick(
                db, at, WORKER, CHUNK, lambda rows, us, at=at: plan(rows, us, at), run_until
            )
            for row in claimed:
                duplicates += row["id"] in seen
                seen.add(row["id"])
            queue.extend(claimed)
            more = len(claimed) == CHUNK
        for _ in range(min(rate, len(queue))):
            row = queue.popleft()
            prompts.mark_sent(db, row["id"], WORKER, now, None)
            lateness.append((now - row["due_at"]).total_seconds())
        if not queue and not more:
            run_until = None  # this run is over; the next tick looks again
        tick_ms.append((time.perf_counter() - begun) * 1000)
        now += timedelta(seconds=1)
    sending, lead = users / rate, MAX_LEAD.total_seconds()
    bound = max(sending / 2, sending - lead) + 10  # never more than MAX_LEAD early
    return {
        "users": users,
        "rate": rate,
        "sent": len(lateness),
        "duplicates": duplicates,
        "bound_s": round(bound, 1),
        "earliest_s": min(lateness),
        "p5_s": percentile(lateness, 5),
        "p50_s": percentile(lateness, 50),
        "p95_s": percentile(lateness, 95),
        "latest_s": max(lateness),
        "within_bound": max(abs(x) for x in lateness) <= bound,
        "db_ms_per_second_p50": percentile(tick_ms, 50),
        "db_ms_per_second_p99": percentile(tick_ms, 99),
        "wall_s": round(time.perf_counter() - started, 1),
    }


def run(backend: str, users: int, rate: int) -> Result:
    name = f"burst {backend} {users:,} users at {rate}/s"
    if backend == "postgres" and not pg_available():
        return Result(name, skipped="no PostgreSQL")
    url = fresh_pg("steady_bench_burst") if backend == "postgres" else fresh_sqlite()
    db = Database(url)
    try:
        seed(db, users)
        figures = simulate(db, users, rate)
    finally:
        db.dispose()
        discard(url)
    problems = []
    if figures["sent"] != users:
        problems.append(f"sent {figures['sent']} of {users}")
    if figures["duplicates"]:
        problems.append(f"{figures['duplicates']} prompts claimed twice")
    if not figures["within_bound"]:
        problems.append("a prompt arrived further from its time than the bound")
    return Result(name, figures, problems=problems)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.burst", description=__doc__)
    p.add_argument("--users", default="10000,100000")
    p.add_argument("--rate", type=int, default=30)
    p.add_argument("--backends", default="sqlite,postgres")
    args = p.parse_args(argv)
    results = []
    for backend in args.backends.split(","):
        for users in (int(n) for n in args.users.split(",")):
            result = run(backend, users, args.rate)
            print(result.line(), flush=True)
            results.append(result)
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

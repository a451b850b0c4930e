"""Sweep benchmark (issue 3): `uv run python -m bench.sweep_bench [--users N] [--due N]`.

With 100,000 users in an SQLite database and 1,000 of them due:

* one sweep tick's cost before sending: claim + plan + next-occurrence writes (target < 50 ms),
  and, for information, the whole tick with a no-op sender (marking each prompt sent);
* process RSS after start-up with 100,000 users scheduled vs 100 (target ≤ 20 MB more);
* start-up with 100,000 users: build_application + initialize + a first sweep with no due
  rows (target < 2 s).

Start-up and RSS are measured in fresh child processes (one per database), each talking to a
local fake Bot API server so that ``initialize()`` runs its real path (getMe).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.models import DuePrompt, User
from bot.store.db import Database, upgrade_to_head

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "UTC",
    "Pacific/Chatham",
    "Asia/Tokyo",
    "UTC+05:30",
)
TICKS = 18  # batches of due prompts: 1 warm-up + 15 measured claims, 1 warm-up + 1 full tick


def seed(path: Path, users: int, due: int) -> None:
    """``users`` onboarded users with morning/evening/weekly rows; ``due`` × TICKS due now."""
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    db = Database(url)
    user_rows: list[dict[str, Any]] = []
    prompt_rows: list[dict[str, Any]] = []
    due_users = min(users, due * TICKS)
    for i in range(1, users + 1):
        minutes = 6 * 60 + (i % 16) * 15
        user_rows.append(
            {
                "id": i,
                "chat_id": i,
                "first_name": f"U{i}",
                "timezone": ZONES[i % len(ZONES)],
                "morning_time": f"{minutes // 60:02d}:{minutes % 60:02d}",
                "evening_time": "21:00",
                "weekly_day": 6,
                "weekly_time": "19:00",
                "paused": False,
                "active": True,
                "onboarded_at": NOW,
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        if i <= due_users:  # batch k is due at NOW + k minutes
            morning = NOW + timedelta(minutes=(i - 1) // due)
        else:
            morning = NOW + timedelta(days=1, minutes=i % 600)
        for kind, at in (
            ("morning", morning),
            ("evening", NOW + timedelta(hours=15, minutes=i % 600)),
            ("weekly", NOW + timedelta(days=6, minutes=i % 600)),
        ):
            prompt_rows.append(
                {
                    "user_id": i,
                    "kind": kind,
                    "due_at": at,
                    "state": "pending",
                    "attempts": 0,
                    "created_at": NOW,
                }
            )
    with db.session() as s:
        s.execute(User.__table__.insert(), user_rows)  # type: ignore[attr-defined]
        s.execute(DuePrompt.__table__.insert(), prompt_rows)  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    db.dispose()


def measure_ticks(path: Path, due: int) -> dict[str, float]:
    """Median cost of the claim transaction, and of a whole tick with a no-op sender."""
    from bot.services.due import plan
    from bot.store.claim import claim_tick

    db = Database(f"sqlite:///{path}")
    claim_ms: list[float] = []
    cpu_ms: list[float] = []
    counts: list[int] = []
    for k in range(TICKS - 2):
        now = NOW + timedelta(minutes=k, seconds=1)
        started, cpu = time.perf_counter(), time.process_time()
        claimed, _ = claim_tick(db, now, "bench", due, lambda r, u, n=now: plan(r, u, n))
        claim_ms.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        counts.append(len(claimed))
    assert set(counts) == {due}, counts
    full_ms = asyncio.run(_full_ticks(db, NOW + timedelta(minutes=TICKS - 2, seconds=1), due))
    db.dispose()
    measured = claim_ms[1:]  # the first tick warms caches up
    return {
        "claim_ms": statistics.median(measured),
        "claim_min_ms": min(measured),
        "claim_cpu_ms": statistics.median(cpu_ms[1:]),
        "full_tick_ms": full_ms,
    }


async def _full_ticks(db: Database, now: datetime, due: int) -> float:
    """run_sweep over the real Application, every sender replaced by a no-op (2nd tick)."""
    from telegram import Chat, Message

    from bot.app import build_application
    from bot.config import settings_from
    from bot.outbound import senders as delivery
    from bot.outbound.sweep import run_sweep

    app = build_application(
        settings_from({"TELEGRAM_BOT_TOKEN": "1:bench", "DATABASE_URL": db.url}),
        db=db,
        run_jobs=False,
    )
    chat = Chat(1, "private")

    async def no_op(ctx: Any, user: Any, prompt: Any) -> Message:
        return Message(prompt.id, ctx.now(), chat)

    delivery.install(app, dict.fromkeys(("morning", "evening", "weekly", "snooze"), no_op))
    await run_sweep(app, now, limit=due)  # warm-up: imports, caches
    later = now + timedelta(minutes=1)
    started = time.perf_counter()
    report = await run_sweep(app, later, limit=due)
    elapsed = (time.perf_counter() - started) * 1000
    assert report.sent == due, report
    return elapsed


# --- child process: start-up and RSS ------------------------------------------------------------


async def _startup(path: Path) -> dict[str, float]:
    import psutil

    from bot.app import build_application
    from bot.config import settings_from
    from bot.outbound.sweep import run_sweep
    from tests.fakebot import FakeBotApi

    async with FakeBotApi() as server:
        settings = settings_from(
            {
                "TELEGRAM_BOT_TOKEN": server.token,
                "DATABASE_URL": f"sqlite:///{path}",
                "TELEGRAM_API_BASE_URL": server.base_url,
            }
        )
        started = time.perf_counter()
        app = build_application(settings, run_jobs=False)
        await app.initialize()
        report = await run_sweep(app, NOW - timedelta(minutes=1))
        elapsed = time.perf_counter() - started
        assert report.claimed == 0
        rss = psutil.Process().memory_info().rss / 2**20
        await app.shutdown()
    return {"startup_s": elapsed, "rss_mb": rss}


def child_startup(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.sweep_bench", "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(_startup(args.child))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        big, small, ticks = Path(tmp, "big.db"), Path(tmp, "small.db"), Path(tmp, "ticks.db")
        started = time.perf_counter()
        seed(big, args.users, 0)
        seed(small, args.small, 0)
        seed(ticks, args.users, args.due)
        seeded = time.perf_counter() - started
        tick = measure_ticks(ticks, args.due)
        big_run = min((child_startup(big) for _ in range(3)), key=lambda r: r["startup_s"])
        small_run = min((child_startup(small) for _ in range(3)), key=lambda r: r["startup_s"])
    rss_delta = big_run["rss_mb"] - small_run["rss_mb"]
    load = os.getloadavg()[0]
    print(
        f"Sweep benchmark — {args.users:,} users, {args.due:,} due (seeded in {seeded:.1f} s,"
        f" load average {load:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"  tick before sending (claim + plan + next writes): {tick['claim_ms']:.1f} ms"
        f" median, {tick['claim_min_ms']:.1f} ms best, {tick['claim_cpu_ms']:.1f} ms CPU"
        "  [target < 50 ms]"
    )
    print(f"  whole tick, no-op senders, each marked sent:      {tick['full_tick_ms']:.1f} ms")
    print(
        f"  start-up with {args.users:,} users:                 {big_run['startup_s']:.2f} s"
        f"  [target < 2 s]"
    )
    print(
        f"  RSS with {args.users:,} users: {big_run['rss_mb']:.1f} MB; with {args.small}: "
        f"{small_run['rss_mb']:.1f} MB; difference {rss_delta:+.1f} MB  [target ≤ 20 MB]"
    )
    ok = tick["claim_ms"] < 50 and big_run["startup_s"] < 2 and rss_delta <= 20
    print("  all targets met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

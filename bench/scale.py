"""Scale: many seeded users on PostgreSQL; what start-up, memory, a sweep tick, a summary cost.

Start-up and RSS are measured in fresh processes (bench/startup.py for the bot as it is,
bench/run_daily_baseline.py for one run_daily job per user and slot) against the fake Bot
API. The sweep tick and the weekly summary run in this process once they exist.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench import adapters
from bench.databases import drop_pg, fresh_pg, size_pretty, truncate_all
from bench.procs import bot_env, run_json
from bench.seed import seed
from bench.server import BenchServer
from bench.stats import Result, ms, percentile
from bot.app import build_application
from bot.config import settings_from
from bot.store.db import Database


def _from_child(name: str, figures: dict[str, object]) -> Result:
    if "error" in figures:
        return Result(name, problems=[str(figures["error"])[-600:]])
    return Result(name, dict(figures))


async def sweep_ticks(
    server: BenchServer,
    url: str,
    now: datetime,
    due: int = 100,
    sweep: adapters.Sweep | None = None,
) -> Result:
    """Idle ticks (nothing due) and a tick with ``due`` prompts due, over the seeded data.

    The first tick is reported apart: it may do hourly housekeeping (pruning old prompts).
    """
    name = "scale sweep tick"
    sweep = sweep or adapters.sweep()
    if sweep is None:
        return Result(name, skipped=adapters.SWEEP_MISSING)
    db = Database(url)
    with db.engine.begin() as conn:
        ids = conn.execute(
            text(
                "SELECT id, user_id FROM due_prompts WHERE state = 'pending' AND kind = 'morning'"
                " ORDER BY user_id LIMIT :n"
            ),
            {"n": due},
        ).all()
    for _, user_id in ids:
        server.add_chat(user_id, f"U{user_id}")
    env = {"TELEGRAM_BOT_TOKEN": server.token, "DATABASE_URL": url}
    settings = settings_from({**env, "TELEGRAM_API_BASE_URL": server.base_url,
                              "TELEGRAM_MAX_RATE": "0"})  # fmt: skip
    app = build_application(settings, db=db, run_jobs=False)
    await app.initialize()
    await app.start()
    try:
        idle = []
        for _ in range(6):
            mark = time.perf_counter()
            await sweep(app, now)
            idle.append(time.perf_counter() - mark)
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE due_prompts SET due_at = :t WHERE id = ANY(:ids)"),
                {"t": now.replace(tzinfo=None), "ids": [i for i, _ in ids]},
            )
        mark = time.perf_counter()
        await sweep(app, now)
        busy = time.perf_counter() - mark
        sent = sum(1 for _, uid in ids if server.reply_counts[uid])
    finally:
        await app.stop()
        await app.shutdown()
        db.dispose()
    figures = {
        "first_tick_ms": ms(idle[0]),
        "idle_tick_ms": ms(percentile(idle[1:], 50)),
        "due": len(ids),
        "busy_tick_ms": ms(busy),
        "sent_in_tick": sent,
    }
    return Result(name, figures)


def summary_cost(
    url: str, now: datetime, sample: int = 200, summary: adapters.Summary | None = None
) -> Result:
    name = "scale weekly summary per user"
    summary = summary or adapters.summary()
    if summary is None:
        return Result(name, skipped=adapters.SUMMARY_MISSING)
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            user_ids = list(
                conn.execute(
                    text("SELECT DISTINCT user_id FROM checkins ORDER BY user_id LIMIT :n"),
                    {"n": sample},
                ).scalars()
            )
        times = []
        for user_id in user_ids:
            mark = time.perf_counter()
            summary(db, user_id, now)
            times.append(time.perf_counter() - mark)
    finally:
        db.dispose()
    return Result(name, {"users": len(times), "p50_ms": ms(percentile(times, 50)),
                         "p99_ms": ms(percentile(times, 99))})  # fmt: skip


async def run(
    users: int,
    database_url: str | None = None,
    *,
    baseline: bool = True,
    keep: bool = False,
    history_share: float = 0.1,
    days: int = 30,
    child_timeout: float = 1200,
    sweep: adapters.Sweep | None = None,
    summary: adapters.Summary | None = None,
) -> list[Result]:
    """Seed ``users`` (a fresh steady_bench_scale database unless ``database_url``).

    ``sweep``/``summary`` default to the real ones (skipped while they do not exist).
    """
    url = database_url or fresh_pg("steady_bench_scale")
    if database_url:
        db = Database(url)
        truncate_all(db)
        db.dispose()
    now = datetime.now(UTC)
    # pending prompts from tomorrow on: nothing fires while start-up is measured
    seeded = seed(url, users, now, history_share=history_share, days=days,
                  pending_after=now + timedelta(days=1))  # fmt: skip
    label = f"{users:,} users"
    results = [
        Result(
            f"scale seed {label}",
            {
                "seconds": round(seeded.seconds, 1),
                "rows": sum(seeded.rows.values()),
                "db_size": size_pretty(url),
                **{f"{table}_rows": n for table, n in seeded.rows.items()},
            },
        )
    ]
    async with BenchServer() as server:
        env = bot_env(server, DATABASE_URL=url, LOG_LEVEL="WARNING")
        ours = await run_json("bench.startup", [], env, child_timeout)
        results.append(_from_child(f"scale start-up steady {label}", ours))
        if baseline:
            base = await run_json("bench.run_daily_baseline", [], env, child_timeout)
            results.append(_from_child(f"scale start-up run_daily baseline {label}", base))
        results.append(await sweep_ticks(server, url, now, sweep=sweep))
    results.append(summary_cost(url, now, summary=summary))
    if database_url is None and not keep:
        drop_pg(url)
    return results

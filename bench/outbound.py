"""Outbound: every user due in the same minute, Telegram's flood limits enforced by the server.

The fake server answers 429 past 30 messages/s overall or 1/s per chat; the production
Application (AIORateLimiter at TELEGRAM_MAX_RATE=30) is fed by the sweep, which this
benchmark calls every ``interval`` seconds with the wall clock, as the JobQueue would.
Every user must get exactly one check-in; the achieved rate should be within 10% of 30/s
and no 429 should come after the first second.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from bench import adapters
from bench.databases import truncate_all
from bench.server import BenchServer
from bench.stats import Result
from bot.app import build_application
from bot.config import settings_from
from bot.models import User
from bot.runtime import system_clock
from bot.store import prompts
from bot.store.db import Database

TELEGRAM_RATE = 30.0
BASE_ID = 20_000_000


def seed_due(db: Database, users: int, due_at: datetime, now: datetime) -> list[int]:
    """Onboarded users (Berlin, defaults), each with one pending morning prompt at due_at."""
    ids = [BASE_ID + i for i in range(users)]
    with db.session() as s:
        s.add_all(
            User(
                id=uid,
                chat_id=uid,
                first_name=f"U{i}",
                timezone="Europe/Berlin",
                consent_at=now,
                onboarded_at=now,
                notice_version="1",
                created_at=now,
                updated_at=now,
            )
            for i, uid in enumerate(ids)
        )
    for uid in ids:
        prompts.add(db, uid, "morning", due_at, now)
    return ids


async def run(
    database_url: str,
    users: int,
    sweep: adapters.Sweep | None = None,
    interval: float = 1.0,
    settle: float = 2.0,
) -> Result:
    """``sweep`` defaults to the real one (skipped while it is not there)."""
    name = f"outbound {users} users"
    real = sweep is None
    sweep = sweep or adapters.sweep()
    if sweep is None:
        return Result(name, skipped=adapters.SWEEP_MISSING)
    db = Database(database_url)
    truncate_all(db)
    now = system_clock()
    ids = seed_due(db, users, now - timedelta(seconds=1), now)
    async with BenchServer() as server:
        for uid in ids:
            server.add_chat(uid, f"U{uid}")
        settings = settings_from(
            {
                "TELEGRAM_BOT_TOKEN": server.token,
                "DATABASE_URL": database_url,
                "TELEGRAM_API_BASE_URL": server.base_url,
                "TELEGRAM_MAX_RATE": str(TELEGRAM_RATE),
            }
        )
        app = build_application(settings, db=db, run_jobs=False)
        if real:
            from bot.handlers.delivery import sender_for

            if sender_for("morning") is None:
                db.dispose()
                return Result(name, skipped="no sender registered for kind 'morning' (issue 3)")
        server.enforce_limits(global_per_sec=int(TELEGRAM_RATE), per_chat_per_sec=1)
        await app.initialize()
        await app.start()
        try:
            seconds = await _drive(app, sweep, server, ids, interval)
            await asyncio.sleep(settle)  # a duplicate would arrive now
        finally:
            await app.stop()
            await app.shutdown()
            db.dispose()
    return _result(name, server, ids, seconds)


async def _drive(
    app: object, sweep: adapters.Sweep, server: BenchServer, ids: list[int], interval: float
) -> float:
    start = time.monotonic()
    deadline = start + len(ids) / TELEGRAM_RATE * 2 + 30
    while time.monotonic() < deadline:
        await sweep(app, datetime.now(UTC))
        if sum(1 for uid in ids if server.reply_counts[uid]) >= len(ids):
            break
        await asyncio.sleep(interval)
    return time.monotonic() - start


def _result(name: str, server: BenchServer, ids: list[int], seconds: float) -> Result:
    result = Result(name)
    sent = sorted(t for uid in ids for t in server.reply_times[uid])
    first, last = (sent[0], sent[-1]) if sent else (0.0, 0.0)
    rate = (len(sent) - 1) / (last - first) if len(sent) > 1 and last > first else 0.0
    after_first_second = sum(1 for t in server.limited_at if sent and t > first + 1.0)
    result.figures = {
        "users": len(ids),
        "sent": len(sent),
        "seconds_first_to_last": round(last - first, 1),
        "msgs_per_s": round(rate, 2),
        "within_10pct_of_30": "yes" if abs(rate - TELEGRAM_RATE) <= TELEGRAM_RATE * 0.1 else "no",
        "429s": len(server.limited_at),
        "429s_after_first_second": after_first_second,
        "run_seconds": round(seconds, 1),
    }
    missing = [uid for uid in ids if server.reply_counts[uid] == 0]
    extra = [uid for uid in ids if server.reply_counts[uid] > 1]
    if missing:
        result.problems.append(f"{len(missing)} users got no check-in")
    if extra:
        result.problems.append(f"{len(extra)} users got more than one check-in")
    if server.failures:
        result.problems.append(f"failed calls: {dict(server.failures.most_common(3))}")
    return result


async def run_limiter(users: int, smooth: bool = False) -> Result:
    """The rate limiter alone: one message to each of ``users`` chats at once, limits on.

    ``smooth=False`` is the production limiter (bot.app: AIORateLimiter, 30 per 1 s: a
    bucket that lets 30 go at once); ``smooth=True`` is the same rate without the burst
    (1 per 1/30 s), for comparison.
    """
    from telegram.ext import AIORateLimiter, ApplicationBuilder

    from bot.app import _rate_limiter

    label = "smoothed 1 per 1/30 s" if smooth else "as configured"
    name = f"limiter only ({label}) {users} users"
    async with BenchServer() as server:
        ids = [BASE_ID + i for i in range(users)]
        for uid in ids:
            server.add_chat(uid, f"U{uid}")
        server.enforce_limits(global_per_sec=int(TELEGRAM_RATE), per_chat_per_sec=1)
        settings = settings_from({"TELEGRAM_BOT_TOKEN": server.token, "DATABASE_URL": "sqlite://"})
        limiter = (
            AIORateLimiter(overall_max_rate=1, overall_time_period=1 / TELEGRAM_RATE, max_retries=5)
            if smooth
            else _rate_limiter(settings)
        )
        app = (
            ApplicationBuilder()
            .token(server.token)
            .base_url(server.base_url)
            .rate_limiter(limiter)
            .build()
        )
        await app.initialize()
        start = time.monotonic()
        try:
            await asyncio.gather(*(app.bot.send_message(uid, "Good morning") for uid in ids))
        finally:
            await app.shutdown()
        seconds = time.monotonic() - start
    return _result(name, server, ids, seconds)

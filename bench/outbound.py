"""Outbound: every user due in the same minute, Telegram's flood limits enforced by the server.

The fake server answers 429 past 30 messages/s overall or 1/s per chat; the production bot
(bot/ratelimit.py at TELEGRAM_MAX_RATE=30) runs in its own process, its JobQueue running the
sweep every second, so the fake server's clock is not disturbed by the bot's work.
Every user must get exactly one check-in; the achieved rate should be within 10% of 30/s
and no 429 should come after the first second.

``centred=True`` (``--centred``) seeds the prompts due N/(2 × 30) + 20 s from now instead of
already due, so the bot's sweep starts the burst early (bot/services/due.py) as it would for
10,000 people who chose 08:00: the figures then add each prompt's lateness (when the fake
server accepted it − the time chosen) as p5/p50/p95/max against the bound N/(2 × 30) + 10 s
(issue 18). The server's clock is monotonic; one offset taken at seeding turns it into wall time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update as sa_update

from bench import adapters
from bench.databases import truncate_all
from bench.procs import BotProcess
from bench.server import BenchServer
from bench.stats import Result, percentile
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


def _sender_missing(database_url: str) -> bool:
    """Build the app once (no network) to see whether a feature declared a morning sender."""
    from bot.outbound.senders import sender_for

    settings = settings_from({"TELEGRAM_BOT_TOKEN": "1:X", "DATABASE_URL": database_url})
    db = Database(database_url)
    try:
        app = build_application(settings, db=db, run_jobs=False)
    finally:
        db.dispose()
    return sender_for(app, "morning") is None


#: A centred burst is seeded due this long after its half-length, so the bot is up and
#: sweeping before the burst should begin.
CENTRED_LEAD = 20.0


def bound_s(users: int) -> float:
    """The lateness bound issue 18 sets for N prompts due at once at Telegram's pace."""
    return users / (2 * TELEGRAM_RATE) + 10


def _seed(database_url: str, users: int, centred: bool) -> tuple[list[int], float]:
    """The users, and their prompts' due time as a monotonic reading (for the lateness)."""
    db = Database(database_url)
    try:
        truncate_all(db)
        now = system_clock()
        ids = seed_due(db, users, now - timedelta(seconds=1), now)
        if not centred:
            return ids, 0.0
        # Seeding 10,000 takes tens of seconds on PostgreSQL: the time is set once it is done,
        # so the burst can begin when it should (the bot starts within CENTRED_LEAD).
        due_at = system_clock() + timedelta(seconds=users / (2 * TELEGRAM_RATE) + CENTRED_LEAD)
        due_mono = time.monotonic() + (due_at - datetime.now(UTC)).total_seconds()
        with db.engine.begin() as conn:
            conn.execute(sa_update(prompts.T).values(due_at=due_at))
        return ids, due_mono
    finally:
        db.dispose()


async def run(
    database_url: str,
    users: int,
    sweep: adapters.Sweep | None = None,
    interval: float = 1.0,
    settle: float = 2.0,
    max_rate: float = TELEGRAM_RATE,
    centred: bool = False,
) -> Result:
    """Every user due now; the bot sends under Telegram's limits.

    ``max_rate`` is the bot's TELEGRAM_MAX_RATE (the fake server's limit stays 30/s).

    By default the production bot runs in its own process with its JobQueue: the sweep every
    ``interval`` seconds (skipped while the sweep does not exist). A ``sweep`` callable is
    instead driven in this process, every ``interval`` seconds (the smoke test's stand-in).
    """
    name = f"outbound {users} users" + (" centred" if centred else "")
    if max_rate != TELEGRAM_RATE:
        name += f" (TELEGRAM_MAX_RATE={max_rate:g})"
    if sweep is None and adapters.sweep() is None:
        return Result(name, skipped=adapters.SWEEP_MISSING)
    if sweep is None and _sender_missing(database_url):
        return Result(name, skipped="no sender registered for kind 'morning' (issue 3)")
    ids, due_mono = _seed(database_url, users, centred)
    async with BenchServer() as server:
        for uid in ids:
            server.add_chat(uid, f"U{uid}")
        server.enforce_limits(global_per_sec=int(TELEGRAM_RATE), per_chat_per_sec=1)
        if sweep is None:
            seconds = await _in_bot_process(server, database_url, ids, interval, max_rate)
        else:
            seconds = await _in_this_process(server, database_url, ids, sweep, interval)
        await asyncio.sleep(settle)  # a duplicate would arrive now
    result = _result(name, server, ids, seconds)
    if centred:
        result.figures.update(lateness(server, ids, due_mono))
    return result


def lateness(server: BenchServer, ids: list[int], due_mono: float) -> dict[str, object]:
    """Seconds from the time chosen to the fake server's acceptance, over every prompt."""
    late = sorted(t - due_mono for uid in ids for t in server.reply_times[uid][:1])
    if not late:
        return {}
    bound = bound_s(len(ids))
    return {
        "bound_s": round(bound, 1),
        "earliest_s": round(late[0], 1),
        **{f"p{p}_s": round(percentile(late, p), 1) for p in (5, 50, 95)},
        "latest_s": round(late[-1], 1),
        "within_bound": "yes" if max(-late[0], late[-1]) <= bound else "no",
    }


async def _until_all_sent(server: BenchServer, ids: list[int], started: float) -> float:
    deadline = started + len(ids) / TELEGRAM_RATE * 2 + 30
    while time.monotonic() < deadline:
        if sum(1 for uid in ids if server.reply_counts[uid]) >= len(ids):
            break
        await asyncio.sleep(0.2)
    return time.monotonic() - started


async def _in_bot_process(
    server: BenchServer, database_url: str, ids: list[int], interval: float, max_rate: float
) -> float:
    env = {
        "TELEGRAM_MAX_RATE": str(max_rate),
        "SWEEP_INTERVAL_SECONDS": str(interval),
        "BENCH_RUN_JOBS": "1",
        "LOG_LEVEL": "WARNING",
    }
    bot = await BotProcess(server, "steady", database_url, env).start()
    try:
        return await _until_all_sent(server, ids, time.monotonic())
    finally:
        await bot.stop()
        bot.cleanup()


async def _in_this_process(
    server: BenchServer, database_url: str, ids: list[int], sweep: adapters.Sweep, interval: float
) -> float:
    settings = settings_from(
        {
            "TELEGRAM_BOT_TOKEN": server.token,
            "DATABASE_URL": database_url,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "TELEGRAM_MAX_RATE": str(TELEGRAM_RATE),
        }
    )
    db = Database(database_url)
    app = build_application(settings, db=db, run_jobs=False)
    await app.initialize()
    await app.start()
    started = time.monotonic()

    async def drive() -> None:
        while True:
            await sweep(app, datetime.now(UTC))
            await asyncio.sleep(interval)

    driver = asyncio.ensure_future(drive())
    try:
        return await _until_all_sent(server, ids, started)
    finally:
        driver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await driver
        await app.stop()
        await app.shutdown()
        db.dispose()


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

    ``smooth=False`` is the production limiter (bot/ratelimit.py); ``smooth=True`` is PTB's
    AIORateLimiter pacing 1 per 1/30 s (what the bot used before), for comparison.
    """
    from telegram.ext import AIORateLimiter, ApplicationBuilder

    from bot.app import _rate_limiter

    label = "AIORateLimiter 1 per 1/30 s" if smooth else "as configured"
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

"""Replicas on one PostgreSQL share one send pace (bot/replicas/pace.py): two of them, asking
at once, get slots one interval apart between them, and a pause one of them reports holds the
other back too."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import _rate_limiter
from bot.config import settings_from
from bot.replicas.pace import BATCH, SHARE, SharedPace
from bot.store.db import Database

RATE = 200.0  # fast, so the test takes a fraction of a second


async def admissions(pace: SharedPace, count: int) -> list[float]:
    loop = asyncio.get_running_loop()
    times = []
    for left in range(count - 1, -1, -1):
        await pace.slot(waiting=left)
        times.append(loop.time())
    return times


async def test_two_replicas_asking_at_once_share_one_pace(pg_db: Database) -> None:
    first, second = SharedPace(pg_db, "42", RATE), SharedPace(pg_db, "42", RATE)
    a, b = await asyncio.gather(admissions(first, 40), admissions(second, 40))
    times = sorted(a + b)
    span = times[-1] - times[0]
    # 80 messages at the shared pace take 79 intervals; each on its own would take 39.
    assert span >= 79 * first.interval * 0.9, span
    assert len(first._slots) == len(second._slots) == 0  # nothing leased beyond what was sent
    assert BATCH > 1  # (slots are leased a few at a time)


async def test_a_pause_one_replica_reports_holds_the_other_back(pg_db: Database) -> None:
    first, second = SharedPace(pg_db, "43", RATE), SharedPace(pg_db, "43", RATE)
    await first.slot()
    loop = asyncio.get_running_loop()
    first.pause(0.3)
    await asyncio.gather(*first._tasks)
    paused = loop.time()
    await second.slot()
    assert loop.time() - paused >= 0.25


async def test_another_bot_on_the_same_database_has_its_own_pace(pg_db: Database) -> None:
    mine, theirs = SharedPace(pg_db, "44", RATE), SharedPace(pg_db, "45", RATE)
    mine.pause(5.0)
    await asyncio.gather(*mine._tasks)
    async with asyncio.timeout(1.0):
        await theirs.slot()


async def test_two_replicas_broadcasting_paid_share_the_rate_paid_for(pg_db: Database) -> None:
    """Paid broadcasts (up to 1000/s) keep a shared pace of their own, leased a few
    milliseconds' worth at a time: two replicas together stay at the one rate."""
    paid = 1000.0
    first, second = SharedPace(pg_db, "46:paid", paid), SharedPace(pg_db, "46:paid", paid)
    assert first.batch > BATCH  # (not a round trip per 4 slots at this pace)
    a, b = await asyncio.gather(admissions(first, 200), admissions(second, 200))
    times = sorted(a + b)
    assert times[-1] - times[0] >= 399 * first.interval * 0.9


def test_replicas_on_postgresql_share_the_paid_broadcast_pace_too(pg_db: Database) -> None:
    settings = settings_from(
        {"TELEGRAM_BOT_TOKEN": "47:abc", "TELEGRAM_PAID_BROADCAST_RATE": "1000"}
    )
    limiter = _rate_limiter(settings, pg_db)
    assert limiter.shared is not None and limiter.shared.bot == "47"
    paid = limiter._broadcast
    assert paid is not None and paid.shared is not None and paid.shared.bot == "47:paid"
    assert limiter.scheduled_rate() == pytest.approx(1000 * SHARE)

"""Replicas on one PostgreSQL share one send pace (bot/replicas/pace.py): two of them, asking
at once, get slots one interval apart between them, and a pause one of them reports holds the
other back too."""

from __future__ import annotations

import asyncio

from bot.replicas.pace import BATCH, SharedPace
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

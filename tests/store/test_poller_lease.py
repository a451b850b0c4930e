"""The poller's lease (bot/replicas/lease.py) on a real PostgreSQL, without bot processes: one
holder at a time, the lock goes with the connection, and a holder whose session the server
ends hears of it at once."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from bot.replicas.lease import APPLICATION_NAME, AdvisoryLease, conninfo, lock_key
from bot.store.db import Database

TOKEN = "123456:secret-part"


async def taken_soon(lease: AdvisoryLease) -> bool:
    """Whether ``lease`` gets the lock within a second (the server frees a closed session's
    lock as its backend exits, a moment after the socket closed; replicas retry every 2 s)."""
    for _ in range(20):
        if await lease._take():
            return True
        await asyncio.sleep(0.05)
    return False


def test_the_key_is_the_bots_and_the_url_psycopgs() -> None:
    assert lock_key(TOKEN) == lock_key("123456:another-secret") != lock_key("654321:x")
    url = "postgresql+psycopg://u:p%40ss@db:5432/steady?sslmode=require"
    assert conninfo(url) == "postgresql://u:p%40ss@db:5432/steady?sslmode=require"
    assert conninfo("postgres://u@db/steady") == "postgresql://u@db/steady"


async def test_one_holder_at_a_time_and_the_lock_goes_with_the_connection(
    pg_db: Database,
) -> None:
    first, second = AdvisoryLease(pg_db.url, TOKEN), AdvisoryLease(pg_db.url, TOKEN)
    assert await first._take()
    assert not await second._take()
    await first._drop()
    assert await taken_soon(second)
    await second._drop()


async def test_a_holder_whose_session_is_ended_hears_of_it_at_once(pg_db: Database) -> None:
    lease = AdvisoryLease(pg_db.url, TOKEN)
    assert await lease._take()
    stop = asyncio.Event()
    keeping = asyncio.ensure_future(lease._keep(stop))
    await asyncio.sleep(0)  # (it watches its connection now)
    with pg_db.engine.begin() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": APPLICATION_NAME},
        )
    async with asyncio.timeout(1.0):  # far less than its 2 s check
        reason = await keeping
    assert reason is not None and reason.startswith("connection_lost")
    other = AdvisoryLease(pg_db.url, TOKEN)
    assert await taken_soon(other)  # the lock is free for another
    await other._drop()

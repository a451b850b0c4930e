"""The poller's lease (bot/replicas/lease.py, bot/replicas/heartbeat.py) on a real PostgreSQL,
without bot processes: one holder at a time, the lock goes with the connection, a holder whose
session the server ends hears of it at once, and getUpdates is let through only while the
lock is surely held."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text

from bot.replicas.heartbeat import APPLICATION_NAME, Heartbeat
from bot.replicas.lease import AdvisoryLease, conninfo, lock_key
from bot.store.db import Database

TOKEN = "123456:secret-part"
BOUND = 10.0  # an upper bound on each wait, never the synchronisation


class Told:
    """A heartbeat on its thread, and what it told (gained / lost) as it tells it."""

    def __init__(self, db: Database) -> None:
        loop = asyncio.get_running_loop()
        self.events: asyncio.Queue[tuple[str, str | None]] = asyncio.Queue()
        self.beat = Heartbeat(
            conninfo(db.url),
            lock_key(TOKEN),
            lambda event, reason: loop.call_soon_threadsafe(
                self.events.put_nowait, (event, reason)
            ),
        )
        self.beat.start()

    async def next(self) -> tuple[str, str | None]:
        async with asyncio.timeout(BOUND):
            return await self.events.get()

    async def on_thread(self, work):  # type: ignore[no-untyped-def]
        async with asyncio.timeout(BOUND):
            return await asyncio.wrap_future(self.beat.call(work))

    async def close(self) -> None:
        await self.on_thread(self.beat.close())
        self.beat.join(BOUND)


def end_sessions(db: Database) -> int:
    with db.engine.begin() as conn:
        return len(
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    # this database's only: the other test pass runs beside this one
                    "WHERE application_name = :name AND datname = current_database()"
                ),
                {"name": APPLICATION_NAME},
            ).all()
        )


def test_the_key_is_the_bots_and_the_url_psycopgs() -> None:
    assert lock_key(TOKEN) == lock_key("123456:another-secret") != lock_key("654321:x")
    url = "postgresql+psycopg://u:p%40ss@db:5432/steady?sslmode=require"
    assert conninfo(url) == "postgresql://u:p%40ss@db:5432/steady?sslmode=require"
    assert conninfo("postgres://u@db/steady") == "postgresql://u@db/steady"


async def test_one_holder_at_a_time_and_the_lock_goes_with_the_connection(
    pg_db: Database,
) -> None:
    first = Told(pg_db)
    assert await first.next() == ("gained", None)
    second = Told(pg_db)
    assert not await second.on_thread(second.beat._take())  # the first holds it
    await first.close()
    assert await second.next() == ("gained", None)  # at its next try
    await second.close()


async def test_a_holder_whose_session_is_ended_hears_of_it_at_once(pg_db: Database) -> None:
    holder = Told(pg_db)
    assert await holder.next() == ("gained", None)
    assert time.monotonic() < holder.beat.valid_until
    assert end_sessions(pg_db) == 1
    event, reason = await holder.next()
    assert event == "lost" and reason is not None and reason.startswith("connection_lost")
    assert holder.beat.valid_until == 0.0  # no getUpdates from here
    other = Told(pg_db)
    assert await other.next() == ("gained", None)  # the lock is free for another
    holder.beat.resume()  # (it tries again, and stands by)
    assert not await holder.on_thread(holder.beat._take())
    for told in (holder, other):
        await told.close()


async def test_past_its_heartbeat_a_holder_asks_the_server_again_before_it_polls(
    pg_db: Database,
) -> None:
    """The time a heartbeat vouches for ran out (a stalled or stopped process): a fresh one
    decides — yes while the session lives, no once the server has ended it."""
    lease = AdvisoryLease(pg_db.url, TOKEN)
    assert not await lease.confirm()  # not the poller (yet)
    stop = asyncio.Event()
    elected = asyncio.Event()

    async def gained() -> None:
        elected.set()

    async def lost() -> None:
        return None

    running = asyncio.ensure_future(lease.run(stop, gained, lost))
    async with asyncio.timeout(BOUND):
        await elected.wait()
    assert await lease.confirm()
    lease.heartbeat.valid_until = time.monotonic() - 1  # as after a freeze
    assert await lease.confirm()  # the session lives: a heartbeat renews it
    assert time.monotonic() < lease.heartbeat.valid_until
    lease.heartbeat.valid_until = time.monotonic() - 1
    assert end_sessions(pg_db) == 1
    assert not await lease.confirm()  # the server ended it: no more getUpdates
    stop.set()
    async with asyncio.timeout(BOUND):
        await running

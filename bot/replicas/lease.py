"""One poller at a time among replicas on one PostgreSQL: a session-level advisory lock.

Two processes polling ``getUpdates`` with one token fight: Telegram answers one of them 409
Conflict, each retry backs off further, and updates wait for whichever is polling. So the
replicas elect one poller. Each keeps a dedicated connection (outside the pools) and tries
``pg_try_advisory_lock`` on it every ``CHECK_INTERVAL`` seconds; the one that gets the lock
polls, the others stand by — they run the sweeps as before (each prompt is claimed by one
replica, ``FOR UPDATE SKIP LOCKED``) and never call ``getUpdates``.

The lock lives as long as the session: when the poller dies, PostgreSQL lets it go with the
connection, and a standby takes over at its next try. The poller watches its connection's
socket (a session the server ends — a restart, ``pg_terminate_backend``, a timeout — frees the
lock at once, and closes the socket: the poller hears of it within milliseconds) and every
``CHECK_INTERVAL`` asks it ``SELECT 1`` (answered within ``CHECK_DEADLINE`` or taken as lost);
a poller that loses its connection stops polling at once, before a standby's next try. How the
lock is let go when the poller cannot say so:

- killed (SIGKILL, a crash): the operating system closes the socket, PostgreSQL frees the lock
  at once;
- frozen (a stopped process): ``idle_session_timeout`` ends its session after
  ``IDLE_SESSION_TIMEOUT_MS`` without a check. Generous on purpose: a busy machine can hold
  the event loop for seconds (start-up's warm-ups parse large files holding the GIL; 10 s
  were seen on a shared two-core machine), and a poller must not lose its lease to that;
- cut off (a lost network): TCP keepalives from the server's side end the session after about
  ``KEEPALIVE_IDLE + KEEPALIVE_INTERVAL * KEEPALIVE_COUNT`` seconds; the poller, failing its
  check, has stopped polling within ``CHECK_INTERVAL + CHECK_DEADLINE`` — sooner.

So a standby polls within seconds after the poller died or was cut off (half a minute after
it froze), and two never poll at once. The lock's key is made of the bot's id (the token's
public part), so two different bots may share a database. The connection must reach
PostgreSQL itself (or a pooler in session mode): a pooler in transaction mode cannot hold a
session's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import psycopg
from sqlalchemy.engine import make_url

from bot.store.db import PG_CONNECT_TIMEOUT, PG_TCP_USER_TIMEOUT_MS, with_driver

log = logging.getLogger(__name__)

#: Seconds between the poller's checks of its connection, and between a standby's tries.
CHECK_INTERVAL = 2.0
#: Seconds a check (or a try) may take before the connection counts as lost.
CHECK_DEADLINE = 2.0
GRACE = 0.2
#: A session that sent nothing this long is ended by PostgreSQL (a frozen poller).
IDLE_SESSION_TIMEOUT_MS = 30_000
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 4, 1, 2
#: How the lock's connection shows in pg_stat_activity (tests cut it off by this name).
APPLICATION_NAME = "steady-poller"

Step = Callable[[], Awaitable[Any]]


class Lease(Protocol):
    #: Whether this replica polls now (for /healthz).
    polling: bool

    async def run(self, stop: asyncio.Event, gained: Step, lost: Step) -> None:
        """Until ``stop``: ``gained`` once this replica is the poller, ``lost`` when it is no
        longer (or stops); the lease is let go only after ``lost`` has returned."""
        ...


class Sole:
    """The only process (SQLite, bot/replicas/sqlite_lock.py): it always polls."""

    polling = False

    async def run(self, stop: asyncio.Event, gained: Step, lost: Step) -> None:
        self.polling = True
        try:
            await gained()
            await stop.wait()
        finally:
            self.polling = False
            await lost()


def bot_id(token: str) -> str:
    """The token's public part: the bot's id."""
    return token.split(":", 1)[0][:32]


def lock_key(token: str) -> int:
    """The advisory lock's key (a signed 64-bit number) for the bot this token belongs to."""
    digest = hashlib.sha256(f"steady-poller:{bot_id(token)}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def conninfo(database_url: str) -> str:
    """psycopg's form of the SQLAlchemy URL."""
    url = make_url(with_driver(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class Lost(Exception):
    """The lock's connection did not answer in time, or failed."""


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Wait ``seconds`` or until ``stop``; True if stopped."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


def _forget(task: asyncio.Future[Any]) -> None:
    """Leave ``task`` to finish on its own (its outcome no longer matters)."""
    task.cancel()
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


class AdvisoryLease:
    """The poller's lease on PostgreSQL (see the module's docstring)."""

    def __init__(self, database_url: str, token: str) -> None:
        self.conninfo = conninfo(database_url)
        self.key = lock_key(token)
        self.polling = False
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._unreachable = False

    async def _within_deadline(self, work: Awaitable[Any]) -> Any:
        """``work``'s result, or Lost if it fails or takes longer than ``CHECK_DEADLINE`` (a
        stuck driver call is left behind rather than waited for)."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=CHECK_DEADLINE)
        if not done:  # (after a stall of the event loop the answer may be in: a moment more)
            done, _ = await asyncio.wait({task}, timeout=GRACE)
        if not done:
            _forget(task)
            raise Lost("timeout")
        try:
            return task.result()
        except (psycopg.Error, OSError) as exc:
            raise Lost(type(exc).__name__) from exc

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        conn = await psycopg.AsyncConnection.connect(
            self.conninfo,
            autocommit=True,
            connect_timeout=PG_CONNECT_TIMEOUT,
            tcp_user_timeout=PG_TCP_USER_TIMEOUT_MS,
            application_name=APPLICATION_NAME,
        )
        for name, value in (
            ("idle_session_timeout", IDLE_SESSION_TIMEOUT_MS),
            ("tcp_keepalives_idle", KEEPALIVE_IDLE),
            ("tcp_keepalives_interval", KEEPALIVE_INTERVAL),
            ("tcp_keepalives_count", KEEPALIVE_COUNT),
        ):
            await conn.execute(f"SET {name} = {int(value)}")
        return conn

    async def _ask(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        async def fetch() -> Any:
            if self._conn is None:
                self._conn = await self._connect()
            cursor = await self._conn.execute(sql, params)
            row = await cursor.fetchone()
            return row[0] if row else None

        try:
            return await self._within_deadline(fetch())
        except Lost:
            await self._drop()
            raise

    async def _take(self) -> bool:
        """Try the lock once (connecting first if need be)."""
        try:
            taken = bool(await self._ask("SELECT pg_try_advisory_lock(%s)", (self.key,)))
        except Lost as exc:
            if not self._unreachable:  # once an outage, not every try
                log.warning("poller_standby reason=database_unreachable error=%s", exc)
            self._unreachable = True
            return False
        self._unreachable = False
        return taken

    async def _watch(self, stop: asyncio.Event) -> None:
        """Wait ``CHECK_INTERVAL`` or until ``stop``; Lost the moment the server ends the
        session (it closes the socket: the lock is already free for a standby to take)."""
        conn = self._conn
        if conn is None:
            raise Lost("no_connection")

        async def quiet() -> None:
            async for _ in conn.notifies(timeout=CHECK_INTERVAL):
                pass  # (nothing is listened to: only the socket closing wakes this)

        watch = asyncio.ensure_future(quiet())
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait(
                {watch, stopping},
                timeout=CHECK_INTERVAL + CHECK_DEADLINE,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            stopping.cancel()
            if not watch.done():
                watch.cancel()
                with contextlib.suppress(asyncio.CancelledError, psycopg.Error):
                    await watch
        error = None if watch.cancelled() else watch.exception()
        if error is not None:
            await self._drop()
            raise Lost(type(error).__name__)

    async def _keep(self, stop: asyncio.Event) -> str | None:
        """Watch the connection, and check it every ``CHECK_INTERVAL``, until ``stop`` (None)
        or until it is lost (the reason)."""
        while not stop.is_set():
            try:
                await self._watch(stop)
                if not stop.is_set():
                    await self._ask("SELECT 1")
            except Lost as exc:
                return f"connection_lost error={exc}"
        return None

    async def _drop(self) -> None:
        """Close the connection (which lets the lock go), without waiting long for it."""
        conn, self._conn = self._conn, None
        if conn is not None:
            closing = asyncio.ensure_future(conn.close())
            done, _ = await asyncio.wait({closing}, timeout=CHECK_DEADLINE)
            if not done:
                _forget(closing)

    async def _hold(self, stop: asyncio.Event, gained: Step) -> str | None:
        """Start polling (``gained``) while already watching the lease: polling may take long
        to start (Telegram unreachable), and a lease lost meanwhile cancels the start."""
        starting = asyncio.ensure_future(gained())
        keeping = asyncio.ensure_future(self._keep(stop))
        try:
            pending: set[asyncio.Future[Any]] = {starting, keeping}
            while not keeping.done():
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                error = starting.exception() if starting in done else None
                if error is not None:
                    raise error  # (a bad token, say)
            return keeping.result()
        finally:
            for task in (starting, keeping):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def run(self, stop: asyncio.Event, gained: Step, lost: Step) -> None:
        standby_said = False
        try:
            while not stop.is_set():
                if await self._take():
                    log.info("poller_elected")
                    self.polling, standby_said = True, False
                    try:
                        reason = await self._hold(stop, gained)
                    finally:
                        self.polling = False
                        await lost()  # no more getUpdates from here…
                        await self._drop()  # …before the lock goes
                    if reason is not None:
                        log.warning("poller_lost %s", reason)
                elif not standby_said:
                    log.info("poller_standby reason=another_replica_polls")
                    standby_said = True
                if await _wait(stop, CHECK_INTERVAL):
                    break
        finally:
            await self._drop()

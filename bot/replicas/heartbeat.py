"""The poller's lock and its heartbeat, on a thread of their own (bot/replicas/lease.py).

A dedicated psycopg connection, driven by an event loop on its own thread, so that nothing
the bot's event loop does (a burst of sends, a slow handler, start-up's warm-ups) can delay a
try or a heartbeat. While the lock is not held it is tried every ``TRY_INTERVAL``; once held,
the connection is asked ``SELECT 1`` every ``HEARTBEAT`` and its socket is watched in between
(a session the server ends closes it: heard within milliseconds).

The server ends a session that sent nothing for ``LEASE`` (``idle_session_timeout``), which
frees the lock: a stopped process (SIGSTOP, a frozen VM) sends no heartbeat, so a standby
takes over about ``LEASE`` after the last one. The lock is therefore surely still held until
``LEASE`` after a heartbeat was *sent* (the server's idle time starts later, once it has
answered); ``valid_until`` is that moment less ``MARGIN``, on the monotonic clock, which keeps
counting while the process is stopped. getUpdates leaves only before it (``AdvisoryLease
.confirm``): a poller resumed after losing its lease sees at once that its time has run out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from typing import Any

import psycopg

from bot.store.db import PG_CONNECT_TIMEOUT, PG_TCP_USER_TIMEOUT_MS

log = logging.getLogger(__name__)

#: Seconds between a standby's tries for the lock.
TRY_INTERVAL = 1.0
#: Seconds a replica that lost the lock waits before it tries again.
AFTER_LOSS = 2 * TRY_INTERVAL
#: Seconds between the holder's heartbeats.
HEARTBEAT = 1.0
#: Seconds a query (a try, a heartbeat) may take before the connection counts as lost.
CHECK_DEADLINE = 2.0
GRACE = 0.2
#: A session that sent nothing this long is ended by PostgreSQL, and its lock freed.
LEASE = 6.0
#: getUpdates stops this long before the lease could have run out.
MARGIN = 1.0
#: A heartbeat this much later than due is logged (a machine that starves the thread).
LATE = 1.0
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 4, 1, 2
#: How the lock's connection shows in pg_stat_activity (tests cut it off by this name).
APPLICATION_NAME = "steady-poller"

#: Told on the thread: ("gained", None) or ("lost", reason).
Tell = Callable[[str, str | None], None]


class Lost(Exception):
    """The lock's connection did not answer in time, or failed."""


def _forget(task: asyncio.Future[Any]) -> None:
    """Leave ``task`` to finish on its own (its outcome no longer matters)."""
    task.cancel()
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


async def _within_deadline(work: Awaitable[Any]) -> Any:
    """``work``'s result, or Lost if it fails or takes longer than ``CHECK_DEADLINE`` (a stuck
    driver call is left behind rather than waited for)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=CHECK_DEADLINE)
    if not done:  # (after a stall the answer may be in: a moment more)
        done, _ = await asyncio.wait({task}, timeout=GRACE)
    if not done:
        _forget(task)
        raise Lost("timeout")
    try:
        return task.result()
    except (psycopg.Error, OSError) as exc:
        raise Lost(type(exc).__name__) from exc


class Heartbeat:
    """The lock's connection and its thread (see the module's docstring). ``tell`` hears,
    on this thread, when the lock is gained and when it is lost; after a loss no new try is
    made until ``resume`` (the poller has stopped polling by then)."""

    def __init__(self, conninfo: str, key: int, tell: Tell) -> None:
        self.conninfo = conninfo
        self.key = key
        self.tell = tell
        #: Until when (time.monotonic) this replica surely holds the lock; 0 when it does not.
        self.valid_until = 0.0
        self._conn: psycopg.AsyncConnection[Any] | None = None
        self._unreachable = False
        self._standby_said = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="poller-lease", daemon=True)
        # (made on the thread's loop, in _main)
        self._wanted: asyncio.Event
        self._closing: asyncio.Event
        self._beat_now: asyncio.Event
        self._waiters: list[asyncio.Future[None]] = []

    # ------------------------------------------------------------ from the bot's thread
    def start(self) -> None:
        self._thread.start()
        self._ready.wait()

    def call(self, work: Coroutine[Any, Any, Any]) -> Future[Any]:
        """Run ``work`` on the heartbeat's loop; its future (for asyncio.wrap_future)."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(work, self._loop)

    def join(self, timeout: float) -> None:  # noqa: ASYNC109
        self._thread.join(timeout)

    def resume(self) -> None:
        """Try for the lock again (after a loss, once polling has stopped)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wanted.set)

    # ------------------------------------------------------------ on the heartbeat's thread
    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wanted, self._closing, self._beat_now = (asyncio.Event() for _ in range(3))
        self._wanted.set()
        self._ready.set()
        try:
            while not self._closing.is_set():
                await self._either(self._wanted.wait())
                if self._closing.is_set():
                    break
                if await self._take():
                    self._wanted.clear()
                    self.tell("gained", None)
                    reason = await self._either(self._keep())
                    if reason is not None:
                        self.tell("lost", reason)
                        await self._either(self._wanted.wait())
                        # (a healthy standby's next try comes first: this one was the sick one)
                        await self._either(asyncio.sleep(AFTER_LOSS))
                else:
                    await self._either(asyncio.sleep(TRY_INTERVAL))
        finally:
            self.valid_until = 0.0
            self._wake_waiters()
            await self._drop()

    async def _either(self, work: Coroutine[Any, Any, Any]) -> Any:
        """``work``'s result, or None as soon as ``close`` is called."""
        task = asyncio.ensure_future(work)
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait({task, closing}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            closing.cancel()
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return None if task.cancelled() else task.result()

    async def close(self) -> None:
        """Stop: the connection is closed, which lets the lock go (call it on this loop)."""
        self.valid_until = 0.0
        self._closing.set()

    async def confirm(self) -> bool:
        """A heartbeat now (call it on this loop): whether the lock is still surely held."""
        if self.valid_until == 0.0:
            return False
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._beat_now.set()
        await waiter
        return time.monotonic() < self.valid_until

    def _wake_waiters(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        conn = await psycopg.AsyncConnection.connect(
            self.conninfo,
            autocommit=True,
            connect_timeout=PG_CONNECT_TIMEOUT,
            tcp_user_timeout=PG_TCP_USER_TIMEOUT_MS,
            application_name=APPLICATION_NAME,
        )
        for name, value in (
            ("idle_session_timeout", LEASE * 1000),
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
            return await _within_deadline(fetch())
        except Lost:
            await self._drop()
            raise

    async def _take(self) -> bool:
        """Try the lock once (connecting first if need be)."""
        sent = time.monotonic()
        try:
            taken = bool(await self._ask("SELECT pg_try_advisory_lock(%s)", (self.key,)))
        except Lost as exc:
            if not self._unreachable:  # once an outage, not every try
                log.warning("poller_standby reason=database_unreachable error=%s", exc)
            self._unreachable, self._standby_said = True, False
            return False
        self._unreachable = False
        if taken:
            self.valid_until = sent + LEASE - MARGIN
            self._standby_said = False
        elif not self._standby_said:
            log.info("poller_standby reason=another_replica_polls")
            self._standby_said = True
        return taken

    async def _watch(self) -> None:
        """Wait ``HEARTBEAT``, or until a heartbeat is asked for now; Lost the moment the server
        ends the session (it closes the socket: the lock is already free for a standby)."""
        conn = self._conn
        if conn is None:
            raise Lost("no_connection")

        async def quiet() -> None:
            async for _ in conn.notifies(timeout=HEARTBEAT):
                pass  # (nothing is listened to: only the socket closing wakes this)

        watch = asyncio.ensure_future(quiet())
        now = asyncio.ensure_future(self._beat_now.wait())
        try:
            await asyncio.wait(
                {watch, now},
                timeout=HEARTBEAT + CHECK_DEADLINE,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            now.cancel()
            if not watch.done():
                watch.cancel()
                with contextlib.suppress(asyncio.CancelledError, psycopg.Error):
                    await watch
        self._beat_now.clear()
        error = None if watch.cancelled() else watch.exception()
        if error is not None:
            raise Lost(type(error).__name__)

    async def _keep(self) -> str:
        """Heartbeats until the connection is lost; the reason."""
        due = time.monotonic() + HEARTBEAT
        try:
            while True:
                await self._watch()
                sent = time.monotonic()
                if sent - due > LATE:
                    log.warning("poller_heartbeat_late seconds=%.1f", sent - due)
                await self._ask("SELECT 1")
                self.valid_until = sent + LEASE - MARGIN
                self._wake_waiters()
                due = sent + HEARTBEAT
        except Lost as exc:
            self.valid_until = 0.0
            await self._drop()
            return f"connection_lost error={exc}"
        finally:
            self._wake_waiters()

    async def _drop(self) -> None:
        """Close the connection (which lets the lock go), without waiting long for it."""
        self.valid_until = 0.0
        conn, self._conn = self._conn, None
        if conn is not None:
            closing = asyncio.ensure_future(conn.close())
            done, _ = await asyncio.wait({closing}, timeout=CHECK_DEADLINE)
            if not done:
                _forget(closing)

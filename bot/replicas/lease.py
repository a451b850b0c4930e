"""One poller at a time among replicas on one PostgreSQL: a session-level advisory lock.

Two processes polling ``getUpdates`` with one token fight: Telegram answers one of them 409
Conflict, each retry backs off further, and updates wait for whichever is polling. So the
replicas elect one poller. Each keeps a dedicated connection (outside the pools), on a thread
of its own (bot/replicas/heartbeat.py), and tries ``pg_try_advisory_lock`` on it every
``TRY_INTERVAL``; the one that gets the lock polls, the others stand by — they run the sweeps
as before (each prompt is claimed by one replica, ``FOR UPDATE SKIP LOCKED``) and never call
``getUpdates``.

The lock lives as long as the session. The holder sends a heartbeat every ``HEARTBEAT`` from
that thread, which a busy event loop cannot delay, and the server ends a session silent for
``LEASE`` (``idle_session_timeout``). How the lock is let go when the poller cannot say so:

- killed (SIGKILL, a crash): the operating system closes the socket, PostgreSQL frees the lock
  at once;
- frozen (a stopped process): no heartbeat, so the server ends its session ``LEASE`` after the
  last one;
- cut off (a lost network): the server hears nothing either and ends the session the same way
  (its TCP keepalives too); the poller, whose heartbeat goes unanswered within
  ``CHECK_DEADLINE``, has stopped polling before that.

And a poller never polls past its lease: each getUpdates first asks ``confirm``
(bot/replicas/polling.Gated), which passes only until ``MARGIN`` before the lease could have
run out, counted on the monotonic clock (which runs on while a process is stopped) from the
last heartbeat sent. A poller resumed after a freeze is refused its next getUpdates,
hears from its heartbeat that its session is gone, and stops polling: it stands by.

So a standby polls within about ``LEASE`` + ``TRY_INTERVAL`` after the poller died, froze or
was cut off, and two never poll at once. The lock's key is made of the bot's id (the token's
public part), so two different bots may share a database. The connection must reach
PostgreSQL itself (or a pooler in session mode): a pooler in transaction mode cannot hold a
session's lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from sqlalchemy.engine import make_url

from bot.replicas.heartbeat import CHECK_DEADLINE, GRACE, Heartbeat
from bot.store.db import with_driver

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[Any]]


class Lease(Protocol):
    #: Whether this replica polls now (for /healthz).
    polling: bool

    async def run(self, stop: asyncio.Event, gained: Step, lost: Step) -> None:
        """Until ``stop``: ``gained`` once this replica is the poller, ``lost`` when it is no
        longer (or stops); the lease is let go only after ``lost`` has returned."""
        ...

    async def confirm(self) -> bool:
        """Whether this replica may send a getUpdates now."""
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

    async def confirm(self) -> bool:
        return True  # (the stop's last getUpdates too: it confirms what was fetched)


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


class AdvisoryLease:
    """The poller's lease on PostgreSQL (see the module's docstring)."""

    def __init__(self, database_url: str, token: str) -> None:
        self.polling = False
        self._events: asyncio.Queue[tuple[str, str | None]] | None = None
        self.heartbeat = Heartbeat(conninfo(database_url), lock_key(token), self._told)
        self._loop: asyncio.AbstractEventLoop | None = None

    def _told(self, event: str, reason: str | None) -> None:
        """From the heartbeat's thread: the lock was gained or lost."""
        loop, events = self._loop, self._events
        if loop is not None and events is not None and not loop.is_closed():
            loop.call_soon_threadsafe(events.put_nowait, (event, reason))

    async def confirm(self) -> bool:
        """Whether this replica may send a getUpdates now: it surely still holds the lock.
        Past the time its last heartbeat vouches for (a stalled or frozen process), a fresh
        heartbeat decides, within ``CHECK_DEADLINE``."""
        beat = self.heartbeat
        if beat.valid_until == 0.0:  # not held (a stop's last getUpdates, while held, goes)
            return False
        if time.monotonic() < beat.valid_until:
            return True
        asking = asyncio.wrap_future(beat.call(beat.confirm()))
        try:
            return bool(await asyncio.wait_for(asking, CHECK_DEADLINE + GRACE))
        except TimeoutError:
            return False

    async def _hold(self, stop: asyncio.Event, gained: Step) -> str | None:
        """Start polling (``gained``) while already watching the lease: polling may take long
        to start (Telegram unreachable), and a lease lost meanwhile cancels the start. Until
        ``stop`` (None) or the lease is lost (the reason)."""
        assert self._events is not None
        starting = asyncio.ensure_future(gained())
        lost = asyncio.ensure_future(self._events.get())
        stopping = asyncio.ensure_future(stop.wait())
        try:
            pending: set[asyncio.Future[Any]] = {starting, lost, stopping}
            while not (lost.done() or stopping.done()):
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                error = starting.exception() if starting in done else None
                if error is not None:
                    raise error  # (a bad token, say)
            return lost.result()[1] if lost.done() else None
        finally:
            for task in (starting, lost, stopping):
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def run(self, stop: asyncio.Event, gained: Step, lost: Step) -> None:
        self._loop, self._events = asyncio.get_running_loop(), asyncio.Queue()
        beat = self.heartbeat
        beat.start()
        try:
            while not stop.is_set():
                waiting = asyncio.ensure_future(self._events.get())
                stopping = asyncio.ensure_future(stop.wait())
                await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not waiting.done():
                    waiting.cancel()
                    break
                if waiting.result()[0] != "gained":
                    continue
                log.info("poller_elected")
                self.polling = True
                try:
                    reason = await self._hold(stop, gained)
                finally:
                    self.polling = False
                    await lost()  # no more getUpdates from here…
                if reason is not None:
                    log.warning("poller_lost %s", reason)
                    beat.resume()
        finally:
            self.polling = False
            with contextlib.suppress(TimeoutError):  # …before the lock goes
                await asyncio.wait_for(asyncio.wrap_future(beat.call(beat.close())), GRACE)
            beat.join(CHECK_DEADLINE + GRACE)

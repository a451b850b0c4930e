"""Long polling, by the one replica that holds the poller's lease (bot/replicas/lease.py).

What PTB's ``run_polling`` does, with the updater started and stopped by the lease: initialize
(retrying while Telegram is unreachable), ``post_init``, start the application (handlers, the
sweep), then poll while this replica is the poller and stand by while another one is. On
SIGTERM/SIGINT polling stops first (its last ``getUpdates`` confirms what was fetched, so the
next poller is not handed it again), then the lease goes — a standby may take over while this
process still finishes its updates — then the application stops within its bound.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.replicas import health
from bot.replicas.lease import AdvisoryLease, Lease, Sole
from bot.shutdown import close_app
from bot.store.db import Database
from bot.webhook import retry_network

log = logging.getLogger(__name__)

POLL_TIMEOUT = 30  # seconds a getUpdates long poll may wait for news

AnyApp = Application  # type: ignore[type-arg]


class Gated:
    """The bot as the updater sees it: a getUpdates leaves only while ``polls`` says so (the
    lease, bot/replicas/lease.py: this replica surely holds it), else it is answered here as
    Telegram answers a long poll with nothing new: empty, after its timeout (a wait that
    stopping the updater cuts short). The stop's last getUpdates, which confirms what was
    fetched, is one of them: after a lost lease it would cut the new poller's poll short.

    Updates that arrive once the lease has run out (a poller frozen with the answer on its
    way) are left for the next poller: this one never confirms them, so Telegram hands them
    to the next one, and handling them here too would answer them twice."""

    def __init__(self, bot: Any, polls: Callable[[], Awaitable[bool]]) -> None:
        self._bot = bot
        self._polls = polls

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bot, name)

    async def get_updates(self, *args: Any, **kwargs: Any) -> Any:
        if await self._polls():
            updates = await self._bot.get_updates(*args, **kwargs)
            if not updates or await self._polls():
                return updates
            log.warning("poller_lapsed updates_left=%d", len(updates))
            return ()
        wait = kwargs.get("timeout")
        await asyncio.sleep((wait.total_seconds() if isinstance(wait, dt.timedelta) else wait) or 0)
        return ()


def lease_for(settings: Settings, db: Database) -> Lease:
    """PostgreSQL: the advisory lease; SQLite has one process (bot/replicas/sqlite_lock.py)."""
    if db.is_postgres:
        return AdvisoryLease(settings.database_url, settings.token)
    return Sole()


async def start_polling(app: AnyApp, stop: asyncio.Event) -> None:
    from bot.app import ALLOWED_UPDATES

    updater = app.updater
    assert updater is not None

    def on_error(exc: TelegramError) -> None:  # as run_polling: to the error handlers
        app.create_task(app.process_error(error=exc, update=None))

    async def start() -> None:
        await updater.start_polling(
            allowed_updates=ALLOWED_UPDATES,
            timeout=POLL_TIMEOUT,
            bootstrap_retries=0,  # retried here, so that a stop or a lost lease can end it
            error_callback=on_error,
        )

    await retry_network(start, "start_polling", stop)


async def stop_polling(app: AnyApp) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()


async def serve(app: AnyApp, settings: Settings, db: Database) -> None:
    """Run until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    lease = lease_for(settings, db)
    checks = await health.start(settings, db, lambda: lease.polling)
    started = False
    try:
        if not await retry_network(app.initialize, "initialize", stop):
            return
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        started = True
        if app.updater is not None:
            # No getUpdates past the lease (the updater calls nothing else it would change).
            app.updater.bot = Gated(app.bot, lease.confirm)  # type: ignore[assignment]
        await lease.run(stop, lambda: start_polling(app, stop), lambda: stop_polling(app))
    finally:
        if checks is not None:
            checks.stop()
        await close_app(app, started=started)

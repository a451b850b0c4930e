"""One user's turn across webhook replicas: a per-user transaction-level advisory lock.

Behind a load balancer any replica may receive any update, so a user's two quick messages can
reach two processes at once. Each process already handles a user's updates one at a time
(bot/concurrency.py); on PostgreSQL in webhook mode the turn also takes
``pg_advisory_xact_lock`` on the user, in a transaction of its own held open while the update
runs (in a worker thread: the lock may have to wait for the other replica), so two replicas
never run the same user's conversation at once, and the second one reads the steps the first
stored (bot/replicas/steps.py). In order, too: a replica answers the webhook request only
once the update has its user's turn (``PerUserProcessor.expect_turn``), so an update sent
after that answer queues behind it, whichever replica it reaches. Sticky routing by chat id at
the load balancer is the alternative (README, Several replicas).

A lock not granted within ``LOCK_WAIT`` (a replica frozen in the middle of the user's update)
is given up: the update runs without it, and the log says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from bot.store.db import Database

log = logging.getLogger(__name__)

#: Seconds a turn waits for another replica's before it goes without.
LOCK_WAIT = 30
#: User ids (below 2**53) are set apart from other advisory locks' keys by this bit.
NAMESPACE = 1 << 62

_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def _take(db: Database, user_id: int) -> Connection | None:
    conn = db.engine.connect()
    try:
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}s'")
        conn.execute(_LOCK, {"key": NAMESPACE | user_id})
        return conn
    except DBAPIError as exc:
        log.warning("user_lock_not_taken user_id=%s error=%s", user_id, type(exc.orig).__name__)
        conn.close()
        return None


def _let_go(conn: Connection) -> None:
    with contextlib.suppress(Exception):
        conn.rollback()  # the transaction ends, and with it the lock
    conn.close()


@contextlib.asynccontextmanager
async def held(db: Database, user_id: int) -> AsyncIterator[None]:
    """Hold the user's lock across replicas for the block."""
    conn = await asyncio.to_thread(_take, db, user_id)
    try:
        yield
    finally:
        if conn is not None:
            await asyncio.to_thread(_let_go, conn)

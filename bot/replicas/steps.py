"""Conversation steps with several replicas: read from the database at each user's turn.

python-telegram-bot keeps every conversation's step in memory, read from the database once at
start-up (bot/persistence.py writes each change back). With one process that is enough. With
replicas on one PostgreSQL, another process may have moved a user's conversation on since:
the poller before a failover, a standby whose sweep sent a check-in prompt (which closes the
check-in left open), a webhook replica behind a load balancer. So on PostgreSQL the user's
steps are read again at the start of each of their turns (an update, or scheduled work in
``user_turn``): one indexed query, and this process's memory of that user is the database's.
A database that can't be read leaves the memory as it is (the update goes on: its own
statements meet the same database and say so).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from telegram.ext import Application
from telegram.ext._utils.trackingdict import TrackingDict

from bot.handlers.common import RUNTIME_KEY, conversation_handlers
from bot.persistence import DatabasePersistence
from bot.replicas import userlock
from bot.store import conversations

log = logging.getLogger(__name__)

AnyApp = Application  # type: ignore[type-arg]


@contextlib.asynccontextmanager
async def turn(app: AnyApp, user_id: int, *, lock: bool) -> AsyncIterator[None]:
    """A user's turn with replicas: their steps read from the database first, under their lock
    across replicas if ``lock`` (webhook mode, bot/replicas/userlock.py)."""
    if not lock:
        await refresh(app, user_id)
        yield
        return
    async with userlock.held(app.bot_data[RUNTIME_KEY].db, user_id):
        await refresh(app, user_id)
        yield


async def refresh(app: AnyApp, user_id: int) -> None:
    """Make this process's conversation steps of the user the database's."""
    db = app.bot_data[RUNTIME_KEY].db
    try:
        # One indexed read on the loop's own connection (a thread's hand-off and an ORM
        # session cost more than the round trip: BENCHMARKS.md, issue 18 session 10).
        stored = conversations.states_for_user(db, user_id)
    except Exception as exc:
        log.warning("steps_refresh_failed user_id=%s error=%s", user_id, type(exc).__name__)
        return
    for handler in conversation_handlers(app):
        current = handler._conversations  # noqa: SLF001  (PTB has no public accessor)
        if not isinstance(current, TrackingDict):
            continue  # (not persistent)
        theirs = stored.get(handler.name or "", {})
        for key in [k for k in current if k and k[-1] == user_id and k not in theirs]:
            current.data.pop(key, None)  # ended elsewhere (untracked: nothing to write back)
        current.update_no_track(theirs)
    if isinstance(app.persistence, DatabasePersistence):
        app.persistence.forget(user_id)

"""Conversation steps with several replicas: read from the database at each user's turn.

python-telegram-bot keeps every conversation's step in memory, read from the database once at
start-up (bot/persistence.py writes each change back). With one process that is enough. With
replicas on one PostgreSQL, another process may have moved a user's conversation on since:
the poller before a failover, a standby whose sweep sent a check-in prompt (which closes the
check-in left open), a webhook replica behind a load balancer. So on PostgreSQL the user's
steps are read again at the start of each of their turns (an update, or scheduled work in
``user_turn``): one indexed query, and this process's memory of that user is the database's.
The read the turn's handler starts with (the user and their draft, say) comes in the same
statement, learnt from the turns before in the same step (bot/store/ahead.py): a step costs
one read and one write, not two reads and a write.
A database that can't be read leaves the memory as it is (the update goes on: its own
statements meet the same database and say so).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from telegram.ext import Application
from telegram.ext._utils.trackingdict import TrackingDict

from bot.handlers.common import RUNTIME_KEY, conversation_handlers
from bot.persistence import DatabasePersistence
from bot.replicas import userlock
from bot.store import ahead, conversations

log = logging.getLogger(__name__)

AnyApp = Application  # type: ignore[type-arg]


@contextlib.asynccontextmanager
async def turn(app: AnyApp, user_id: int, *, lock: bool) -> AsyncIterator[None]:
    """A user's turn with replicas: their steps read from the database first, under their lock
    across replicas if ``lock`` (webhook mode, bot/replicas/userlock.py)."""
    if not lock:
        with _refreshed(app, user_id):
            yield
        return
    async with userlock.held(app.bot_data[RUNTIME_KEY].db, user_id):
        with _refreshed(app, user_id):
            yield


@contextlib.contextmanager
def _refreshed(app: AnyApp, user_id: int) -> Iterator[None]:
    """The user's turn (bot/store/ahead.py: the read it starts with is taken along with the
    steps), their steps in this process made the database's first."""
    here = _open_here(app, user_id)
    steps = tuple(sorted((name, repr(current[key])) for name, current, key in here))
    with ahead.turn(user_id, (steps, tuple(name for name, _ in steps))) as this_turn:
        refresh(app, user_id, here, this_turn)
        yield


def _open_here(app: AnyApp, user_id: int) -> list[tuple[str, TrackingDict[Any, Any], Any]]:
    """(conversation, its states, key) of every conversation of the user open in memory."""
    found = []
    for handler in conversation_handlers(app):
        current = handler._conversations  # noqa: SLF001  (PTB has no public accessor)
        if isinstance(current, TrackingDict):  # (else not persistent)
            name = handler.name or ""
            found += [(name, current, k) for k in current if k and k[-1] == user_id]
    return found


def refresh(
    app: AnyApp,
    user_id: int,
    here: list[tuple[str, TrackingDict[Any, Any], Any]],
    this_turn: ahead.Ahead,
) -> None:
    """Make this process's conversation steps of the user (``here``) the database's."""
    db = app.bot_data[RUNTIME_KEY].db
    try:
        # One indexed read on the loop's own connection (a thread's hand-off and an ORM
        # session cost more than the round trip: BENCHMARKS.md, issue 18 session 10), with
        # the read the turn is expected to start with.
        stored, written = conversations.states_and_read_ahead(db, user_id, this_turn)
    except Exception as exc:
        log.warning("steps_refresh_failed user_id=%s error=%s", user_id, type(exc).__name__)
        return
    for name, current, key in here:
        if key not in stored.get(name, {}):
            current.data.pop(key, None)  # ended elsewhere (untracked: nothing to write back)
    for handler in conversation_handlers(app):
        theirs = stored.get(handler.name or "")
        kept = handler._conversations  # noqa: SLF001
        if theirs and isinstance(kept, TrackingDict):
            kept.update_no_track(theirs)
    if isinstance(app.persistence, DatabasePersistence):
        app.persistence.known(user_id, written)

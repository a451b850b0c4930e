"""Conversations left hanging are closed tidily, and what the user answered is kept.

See docs/ARCHITECTURE.md, Scheduled messages.

A conversation that has not moved on for a while (its ``conversation_states.updated_at``) is
ended in PTB's in-memory conversation dict and in the database, inside the user's turn, so it
never races one of their updates. Without this, a question left open for days would take
whatever the user types next as its answer.

What was answered stays where each answer was written: a trigger log or repair plan stays a
draft that the next /trigger or /repair offers to continue; a check-in is closed with its
answers kept, as when the next prompt arrives. The last question's buttons are removed, so
nothing looks open that isn't. The user gets no message about it (it may be the middle of the
night). Onboarding is never closed: it waits for the user to finish setting up, and until then
no other conversation can start to be captured by it.

PTB's own ``conversation_timeout`` is not used: it keeps an in-memory job per conversation,
lost on restart and run on the wall clock, which is what the sweep's design avoids. This runs
from the sweep's tick (bot/outbound/sweep.py), at most every ``CHECK_EVERY``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram.ext import Application, ConversationHandler

from bot.engine import flow
from bot.handlers.common import RUNTIME_KEY, conversation_handlers, user_turn
from bot.runtime import Runtime
from bot.store import conversations
from bot.store.db import Database

log = logging.getLogger(__name__)

App = Application  # type: ignore[type-arg]

#: No answer for this long and a conversation counts as left hanging.
HANGING_AFTER = timedelta(hours=6)
#: Exceptions by conversation name: a check-in waits as long as its prompt's buttons work.
WAIT: dict[str, timedelta] = {"checkin": timedelta(hours=12)}
NEVER = frozenset({"onboarding"})
CHECK_EVERY = timedelta(minutes=15)
CHECKED_KEY = "hanging_checked_at"

#: What a feature does with its draft when its conversation is closed: (db, user id, now).
Closer = Callable[[Database, int, datetime], object]
_closers: dict[str, Closer] = {}


def on_close(conversation: str, closer: Closer) -> None:
    """Let a feature tidy its draft when its conversation is closed for hanging."""
    _closers[conversation] = closer


def wait_for(name: str) -> timedelta:
    return WAIT.get(name, HANGING_AFTER)


async def close_hanging(app: App, now: datetime) -> list[tuple[str, int | None]]:
    """End every conversation left hanging at ``now``; returns (name, user id) of each."""
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    earliest = now - min([HANGING_AFTER, *WAIT.values()])
    found = await asyncio.to_thread(conversations.hanging, rt.db, earliest, NEVER)
    handlers = {h.name: h for h in conversation_handlers(app)}
    closed: list[tuple[str, int | None]] = []
    for name, key, user_id, updated in found:
        before = now - wait_for(name)
        if updated > before:
            continue
        async with user_turn(app, user_id):
            if not await asyncio.to_thread(conversations.forget_if_idle, rt.db, name, key, before):
                continue  # the user answered while we waited for their turn
            handler = handlers.get(name)
            if handler is not None:
                handler._update_state(ConversationHandler.END, key)  # noqa: SLF001 (see common.end_conversations)
            closer = _closers.get(name)
            if closer is not None and user_id is not None:
                await asyncio.to_thread(closer, rt.db, user_id, now)
            if user_id is not None:
                await flow.forget_prompt(app.bot, app.user_data.get(user_id), name)
        closed.append((name, user_id))
        log.info("conversation_closed_hanging user_id=%s name=%s", user_id, name)
    if closed:
        await app.update_persistence()
    return closed


async def close_if_due(app: App, now: datetime) -> list[tuple[str, int | None]]:
    """From the sweep's tick: at most every ``CHECK_EVERY``."""
    last: datetime | None = app.bot_data.get(CHECKED_KEY)
    if last is not None and now - last < CHECK_EVERY:
        return []
    app.bot_data[CHECKED_KEY] = now
    return await close_hanging(app, now)

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

How long each conversation waits and what closing it does is declared by its feature
(``Conversation.idle``, bot/features/base.py) and installed at start-up (``install``): this
package never imports a feature. A conversation nobody declared waits ``HANGING_AFTER``.

PTB's own ``conversation_timeout`` is not used: it keeps an in-memory job per conversation,
lost on restart and run on the wall clock, which is what the sweep's design avoids. This runs
from the sweep's tick (bot/outbound/sweep.py), at most every ``CHECK_EVERY``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram.ext import Application, ConversationHandler

from bot.engine import flow
from bot.handlers.common import RUNTIME_KEY, conversation_handlers, user_turn
from bot.runtime import Runtime
from bot.store import conversations
from bot.store.db import Database

log = logging.getLogger(__name__)

App = Application  # type: ignore[type-arg]

#: No answer for this long and a conversation counts as left hanging (unless it says otherwise).
HANGING_AFTER = timedelta(hours=6)
CHECK_EVERY = timedelta(minutes=15)
CHECKED_KEY = "hanging_checked_at"
#: bot_data: conversation name -> its ``Idle`` (``install``).
IDLE_KEY = "idle_conversations"

#: What a feature does with its draft when its conversation is closed: (db, user id, now).
Closer = Callable[[Database, int, datetime], object]


@dataclass(frozen=True)
class Idle:
    """When a conversation counts as left hanging, and what closing it does."""

    #: No answer for this long and it is closed; None: never closed (it waits for the user).
    after: timedelta | None = HANGING_AFTER
    #: Tidies the feature's draft once the conversation is closed (None: the draft stays as it
    #: is, for the next start to offer).
    close: Closer | None = None


#: The conversation is never closed for hanging (onboarding).
NEVER = Idle(after=None)


def install(app: App, by_name: Mapping[str, Idle]) -> None:
    """How ``app``'s conversations are closed when left hanging, by conversation name."""
    app.bot_data[IDLE_KEY] = dict(by_name)


def _declared(app: App) -> dict[str, Idle]:
    declared: dict[str, Idle] = app.bot_data.get(IDLE_KEY, {})
    return declared


async def close_hanging(app: App, now: datetime) -> list[tuple[str, int | None]]:
    """End every conversation left hanging at ``now``; returns (name, user id) of each."""
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    declared = _declared(app)
    never = {name for name, idle in declared.items() if idle.after is None}
    waits = [idle.after for idle in declared.values() if idle.after is not None]
    earliest = now - min([HANGING_AFTER, *waits])
    found = await asyncio.to_thread(conversations.hanging, rt.db, earliest, never)
    handlers = {h.name: h for h in conversation_handlers(app)}
    closed: list[tuple[str, int | None]] = []
    for name, key, user_id, updated in found:
        idle = declared.get(name, Idle())
        assert idle.after is not None  # never-closed ones are not found
        before = now - idle.after
        if updated > before:
            continue
        async with user_turn(app, user_id):
            if not await asyncio.to_thread(conversations.forget_if_idle, rt.db, name, key, before):
                continue  # the user answered while we waited for their turn
            handler = handlers.get(name)
            if handler is not None:
                handler._update_state(ConversationHandler.END, key)  # noqa: SLF001 (see common.end_conversations)
            if idle.close is not None and user_id is not None:
                await asyncio.to_thread(idle.close, rt.db, user_id, now)
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

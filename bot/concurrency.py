"""Updates of different users run concurrently; each user's updates run one at a time, in order.

PTB's own ``concurrent_updates(n)`` runs *any* updates concurrently, so two quick taps of the
same user could race through a ConversationHandler. ``PerUserProcessor`` keys every update by
its user (or its chat, for updates without a user) and serialises updates with the same key
behind a per-key ``asyncio.Lock``. Locks are FIFO and an update takes its lock before it first
yields to the event loop, so a user's updates are handled in the order they arrived.

The number of updates handled at the same time is bounded by a semaphore taken *after* the
user's lock: updates waiting for their user's turn do not occupy a slot, so one chatty user can
never starve the others. (PTB's base class also bounds with a semaphore of its own, taken
first; it is made large enough never to be the limit.)

Scheduled work that touches a user's conversation (the sweep) can take the same turn with
``async with processor.turn(user_id):`` so it never interleaves with that user's updates.

One user cannot take more than their share (issue 21): each user has a token bucket
(``bot.services.limits``: 20 at once, then 2 a second), and at most ``max_queued_per_user`` of
their updates (``max_queued`` of everyone's) wait for a turn. An update over either limit is
*shed*: it skips the queue and is stopped by the first handler (bot/handlers/limits.py), which
says "slow down a little" once per flood. Memory stays bounded however fast updates come. An
update with crisis language is never shed: it takes its place in the user's queue whatever the
limits say (care comes first; the crisis handler answers it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.services.crisis import detect_crisis
from bot.services.limits import Buckets

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 64
#: Updates of one user waiting for their turn, and of everyone, beyond which more are shed.
MAX_QUEUED_PER_USER = 30
MAX_QUEUED = 5_000
_OUTER_BOUND = 1 << 20  # PTB's semaphore: effectively unbounded, ours does the bounding


def update_key(update: object) -> Hashable | None:
    """Whose update this is: ("user", id), ("chat", id), or None (no ordering needed)."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    return None


class _KeyLock:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # holders and waiters of this lock


def carries_crisis(update: object) -> bool:
    """True when the update is a message (or an edit) with crisis language."""
    message = update.effective_message if isinstance(update, Update) else None
    return message is not None and detect_crisis(message.text or message.caption)


class PerUserProcessor(BaseUpdateProcessor):
    """Concurrent across users (at most ``max_concurrent`` at once), sequential per user,
    each user within their token bucket and queue bound (see the module's docstring)."""

    def __init__(
        self,
        max_concurrent: int = DEFAULT_CONCURRENCY,
        *,
        buckets: Buckets | None = None,
        max_queued_per_user: int = MAX_QUEUED_PER_USER,
        max_queued: int = MAX_QUEUED,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        super().__init__(max_concurrent_updates=max(_OUTER_BOUND, max_concurrent))
        self.max_concurrent = max_concurrent
        self._slots = asyncio.BoundedSemaphore(max_concurrent)
        self._locks: dict[Hashable, _KeyLock] = {}
        self.buckets = buckets if buckets is not None else Buckets()
        self.max_queued_per_user = max_queued_per_user
        self.max_queued = max_queued
        self.clock = clock
        self._queued = 0  # updates holding or waiting for a user's turn
        #: Shed updates by update_id: True for the one that should say "slow down".
        self.shed: dict[int, bool] = {}

    @property
    def queued(self) -> int:
        """Updates holding or waiting for a user's turn (for tests and metrics)."""
        return self._queued

    def _admit(self, update: Update, key: Hashable) -> bool:
        """Whether the update takes its place in the queue; if not, it is marked shed."""
        entry = self._locks.get(key)
        room = (entry.users if entry else 0) < self.max_queued_per_user
        if room and self._queued < self.max_queued and self.buckets.take(key, self.clock()):
            return True
        if carries_crisis(update):
            log.info("flood_crisis_admitted update_id=%s", update.update_id)
            return True
        warn = self.buckets.warn_once(key)
        self.shed[update.update_id] = warn
        if warn:
            user = update.effective_user
            log.info("flood_shedding user_id=%s update_id=%s", user and user.id, update.update_id)
        return False

    @property
    def active_keys(self) -> int:
        """How many users have an update running or waiting (for tests and metrics)."""
        return len(self._locks)

    @contextlib.asynccontextmanager
    async def _hold(self, key: Hashable | None) -> AsyncIterator[None]:
        """Wait for ``key``'s turn (FIFO) and hold it; None holds nothing."""
        if key is None:
            yield
            return
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = _KeyLock()
        entry.users += 1
        self._queued += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            self._queued -= 1
            if entry.users == 0:
                del self._locks[key]

    def turn(self, user_id: int) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold this user's turn: none of their updates is handled meanwhile."""
        return self._hold(("user", user_id))

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = update_key(update)
        if key is not None and isinstance(update, Update) and not self._admit(update, key):
            try:
                await coroutine  # no turn, no slot: the first handler stops it at once
            finally:
                self.shed.pop(update.update_id, None)
            return
        started = False
        try:
            async with self._hold(key), self._slots:
                started = True
                await coroutine
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: don't leak an un-awaited coroutine

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

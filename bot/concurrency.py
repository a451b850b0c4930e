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
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_CONCURRENCY = 64
_OUTER_BOUND = 1 << 20  # PTB's semaphore: effectively unbounded, ours does the bounding
_NO_LOCK = contextlib.nullcontext()


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
        self.users = 0  # updates holding or waiting for this lock


class PerUserProcessor(BaseUpdateProcessor):
    """Concurrent across users (at most ``max_concurrent`` at once), sequential per user."""

    def __init__(self, max_concurrent: int = DEFAULT_CONCURRENCY) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        super().__init__(max_concurrent_updates=max(_OUTER_BOUND, max_concurrent))
        self.max_concurrent = max_concurrent
        self._slots = asyncio.BoundedSemaphore(max_concurrent)
        self._locks: dict[Hashable, _KeyLock] = {}

    @property
    def active_keys(self) -> int:
        """How many users have an update running or waiting (for tests and metrics)."""
        return len(self._locks)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = update_key(update)
        started = False
        entry = None
        if key is not None:
            entry = self._locks.get(key)
            if entry is None:
                entry = self._locks[key] = _KeyLock()
            entry.users += 1
        try:
            async with entry.lock if entry else _NO_LOCK, self._slots:
                started = True
                await coroutine
        finally:
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: don't leak an un-awaited coroutine
            if entry is not None:
                entry.users -= 1
                if entry.users == 0:
                    del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

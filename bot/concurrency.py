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

A button press that has to wait (its user's previous update still running, or every slot
taken) is answered at once, before it waits: the spinner on the user's screen stops within a
round trip instead of after the queue (issue 24.4). Its handler's own ``answer`` then sends
nothing (``answered_early``); a short notice it meant to show with the answer is the one
thing lost, and only when the bot is busy. A press that can run at once is answered by its
handler, notice and all.

One user cannot take more than their share (issue 21): each user has a token bucket
(``bot.services.limits``: 20 at once, then 2 a second), and at most ``max_queued_per_user`` of
their updates (``max_queued`` of everyone's) wait for a turn. An update over either limit is
*shed*: it skips the queue and is stopped by the first handler (bot/handlers/limits.py), which
says "slow down a little" once per flood. Memory stays bounded however fast updates come. An
update with crisis language is never shed: it takes its place in the user's queue whatever the
limits say (care comes first; the crisis handler answers it).

On stop (bot/shutdown.py) ``drain`` lifts the bound, so every update already received starts
at once, and ``cancel_running`` cuts short what is still running when the stop's time is up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

from bot.services.crisis import detect_crisis
from bot.services.limits import Buckets
from bot.shutdown import InFlight

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


#: Callback queries answered before their update ran (ids; each removed once it has run).
_answered_early: set[str] = set()


def answered_early(query_id: str) -> bool:
    """Whether this button press was already answered while it waited for its turn."""
    return query_id in _answered_early


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
        self._slots = asyncio.Semaphore(max_concurrent)
        self._slot_waiters = 0
        self._draining = False
        self._locks: dict[Hashable, _KeyLock] = {}
        self._answering: set[asyncio.Task[None]] = set()
        self._running = InFlight()
        self.buckets = buckets if buckets is not None else Buckets()
        self.max_queued_per_user = max_queued_per_user
        self.max_queued = max_queued
        self.clock = clock
        self._queued = 0  # updates holding or waiting for a user's turn
        #: Shed updates by update_id: True for the one that should say "slow down".
        self.shed: dict[int, bool] = {}
        #: Held through each user's turn, once it is theirs: replicas on PostgreSQL read the
        #: user's steps, and in webhook mode lock the user across processes (bot/replicas/).
        self.guard: Callable[[int], contextlib.AbstractAsyncContextManager[None]] | None = None
        self._turn_taken: dict[int, asyncio.Event] = {}

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

    @contextlib.asynccontextmanager
    async def turn(self, user_id: int) -> AsyncIterator[None]:
        """Hold this user's turn: none of their updates is handled meanwhile."""
        async with self._hold(("user", user_id)), self._guarded(("user", user_id)):
            yield

    def expect_turn(self, update_id: int) -> asyncio.Event:
        """An event set once the update with this id has its user's turn (or will never need
        one: shed, or cut short). Webhook replicas answer Telegram only then, so the user's
        next update, which may reach another replica, comes after this one took the turn."""
        taken = self._turn_taken[update_id] = asyncio.Event()
        return taken

    def _took_turn(self, update: object) -> None:
        taken = self._turn_taken.pop(getattr(update, "update_id", -1), None)
        if taken is not None:
            taken.set()

    def _guarded(self, key: Hashable | None) -> contextlib.AbstractAsyncContextManager[None]:
        if self.guard is not None and isinstance(key, tuple) and key[0] == "user":
            return self.guard(key[1])
        return contextlib.nullcontext()

    def drain(self) -> None:
        """The bot is stopping: no update waits for a slot any more (their users' turns still
        hold), so every update received so far gets to write what it was given."""
        self._draining = True
        for _ in range(self._slot_waiters):
            self._slots.release()  # wakes one waiter each

    def cancel_running(self) -> int:
        """Cut short every update still running or waiting (the stop's time is up)."""
        return self._running.cancel()

    async def _take_slot(self) -> bool:
        """Wait for a slot (True), or go without one once draining (False)."""
        if self._draining:
            return False
        self._slot_waiters += 1
        try:
            await self._slots.acquire()
        finally:
            self._slot_waiters -= 1
        return True

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        with self._running.track():
            await self._process(update, coroutine)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = update_key(update)
        if key is not None and isinstance(update, Update) and not self._admit(update, key):
            self._took_turn(update)
            try:
                await coroutine  # no turn, no slot, no early answer: limits.py stops it
            finally:
                self.shed.pop(update.update_id, None)
            return
        query = update.callback_query if isinstance(update, Update) else None
        early = query is not None and (key in self._locks or self._slots.locked())
        if query is not None and early:
            _answered_early.add(query.id)
            task = asyncio.create_task(self._answer(query))
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)
        started = False
        try:
            async with self._hold(key), self._guarded(key):
                self._took_turn(update)
                slot = await self._take_slot()
                try:
                    started = True
                    await coroutine
                finally:
                    if slot:
                        self._slots.release()
        finally:
            self._took_turn(update)  # (cancelled before its turn: nothing to wait for)
            if not started and asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: don't leak an un-awaited coroutine
            if early:
                _answered_early.discard(query.id)  # type: ignore[union-attr]

    @staticmethod
    async def _answer(query: CallbackQuery) -> None:
        """Stop the spinner of a press that must wait for its turn."""
        try:
            await query.answer()
        except TelegramError as exc:
            log.info("callback_answer_failed early=1 error=%s", type(exc).__name__)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

"""One Telegram budget across replicas on one PostgreSQL: send slots leased from one row.

Each process paces itself at ``TELEGRAM_MAX_RATE`` (bot/ratelimit.py); two replicas doing so
would together send twice Telegram's ~30 messages a second, and the 429s come back. So on
PostgreSQL every message also takes a slot of a pace shared by all replicas: the row
``telegram_budget`` of the bot holds its next free slot (seconds, by the database's clock),
and a replica leases the next few slots (``BATCH`` at most, only as many as it has messages
waiting: few round trips, no slot held back from the others for long) in one statement that
moves it on by ``n / rate``. The replica then sends at its slots. The shared pace is
``SHARE`` of the rate: messages of two processes leave with independent delays, and a late
one of A next to an early one of B must not make 31 in Telegram's second.

A 429 for Telegram's overall limit (the limiter tells it from a chat's own) moves the row's
next slot past its ``retry_after``: every replica waits it out, not only the one that heard.

With SQLite there is one process (bot/replicas/sqlite_lock.py) and no shared pace. A database
that can't be reached does not stop sending: the replica falls back to its own pace and says
so in the log (``shared_pace_unavailable``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from sqlalchemy import text

from bot.store.db import Database

log = logging.getLogger(__name__)

#: Most slots leased in one round trip.
BATCH = 4
#: The shared pace, as a share of TELEGRAM_MAX_RATE.
SHARE = 0.9
#: Slots a message may miss (see ``SharedPace.slot``) before it goes anyway.
TRIES = 3

_LEASE = text(
    "INSERT INTO telegram_budget (bot, next_slot) "
    "VALUES (:bot, EXTRACT(EPOCH FROM now())::float8 + :span) "
    "ON CONFLICT (bot) DO UPDATE SET next_slot = "
    "GREATEST(telegram_budget.next_slot, EXTRACT(EPOCH FROM now())::float8) + :span "
    "RETURNING next_slot - :span - EXTRACT(EPOCH FROM now())::float8 AS delay"
)
_PAUSE = text(
    "UPDATE telegram_budget SET next_slot = "
    "GREATEST(next_slot, EXTRACT(EPOCH FROM now())::float8 + :wait) WHERE bot = :bot"
)


class SharedPace:
    """Slots of the bot's pace shared through PostgreSQL (see the module's docstring)."""

    def __init__(self, db: Database, bot: str, max_rate: float) -> None:
        self.db = db
        self.bot = bot
        self.interval = 1 / (max_rate * SHARE)
        self._slots: deque[float] = deque()  # leased slots, in event-loop time
        self._tasks: set[asyncio.Task[None]] = set()
        self._unavailable = False

    async def _lease(self, count: int) -> None:
        loop = asyncio.get_running_loop()
        span = count * self.interval
        try:
            row = await asyncio.to_thread(self.db.single, _LEASE, {"bot": self.bot, "span": span})
        except Exception as exc:
            if not self._unavailable:
                log.warning("shared_pace_unavailable error=%s", type(exc).__name__)
            self._unavailable = True
            return
        if self._unavailable:
            log.info("shared_pace_back")
            self._unavailable = False
        start = loop.time() + max(0.0, float(row["delay"]))
        self._slots.extend(start + i * self.interval for i in range(count))

    async def slot(self, waiting: int = 0) -> None:
        """Wait for this message's slot (``waiting``: how many more messages wait behind it,
        so the lease takes slots for them too).

        A slot missed by more than an interval (the event loop was held up) is let go, not
        used late: a late message of this replica would land next to the other replicas'
        on-time ones, and Telegram counts them in one second. After ``TRIES`` missed slots
        the message goes anyway (a loop that busy has sent little meanwhile)."""
        loop = asyncio.get_running_loop()
        for _ in range(TRIES):
            now = loop.time()
            while self._slots and self._slots[0] < now - self.interval:
                self._slots.popleft()
            if not self._slots:
                await self._lease(max(1, min(BATCH, waiting + 1)))
            if not self._slots:
                return  # the database is unreachable: the process's own pace only
            when = self._slots.popleft()
            if when > now:
                await asyncio.sleep(when - now)
            if loop.time() - when <= self.interval:
                return

    def pause(self, seconds: float) -> None:
        """Telegram's overall limit said wait ``seconds``: every replica's next slot is after."""
        self._slots.clear()
        task = asyncio.ensure_future(self._pause(seconds))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(Exception):  # (unreachable: this replica waits on its own)
            await asyncio.to_thread(self.db.single, _PAUSE, {"bot": self.bot, "wait": seconds})

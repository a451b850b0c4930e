"""One Telegram budget across replicas on one PostgreSQL: send slots leased from one row.

Each process paces itself at ``TELEGRAM_MAX_RATE`` (bot/ratelimit.py); two replicas doing so
would together send twice Telegram's ~30 messages a second, and the 429s come back. So on
PostgreSQL every message also takes a slot of a pace shared by all replicas: the row
``telegram_budget`` of the bot holds its next free slot (seconds, by the database's clock),
and a replica leases the next few slots (``BATCH`` at most, only as many as it has messages
waiting: few round trips, no slot held back from the others for long) in one statement that
moves it on by ``n / rate``. The replica then sends at its slots. The shared pace is
``SHARE`` of the rate: messages of two processes leave with independent delays, and a late
one of A next to an early one of B must not make 31 in Telegram's second. At 95 % of 30/s,
31 messages span 1.05 s when on time, so their delays may differ by 50 ms; the 10,000-user
burst of two replicas measured in BENCHMARKS.md ("Two replicas sending one burst") is the
evidence for the figure (95 % brought a few 429s there until a lease's slots were placed on
the database's clock and those already past let go; 90 % left the pair under the issue's 27/s
by construction). At 95 % a burst centred on its time also ends within N/(2 × 30) + 10 s.

Every ``REPORT_EVERY`` seconds of sending a replica logs what became of its slots
(``shared_pace leased= round_trips= used= let_go= late_ms_mean=``): slots let go are pace
lost to a held-up event loop.

Paid broadcasts (``TELEGRAM_PAID_BROADCAST_RATE``) share a pace of their own the same way, in the
row ``<bot>:paid``: two replicas broadcasting together keep to the rate paid for.

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

#: Most slots leased in one round trip (at Telegram's ~30/s; a faster pace leases up to
#: ``LEASE_SECONDS`` of slots, so paid broadcasts at 1000/s don't make a round trip per 4 ms).
BATCH = 4
LEASE_SECONDS = 0.02
#: How late a slot may be used, at least: an interval of 1 ms (paid broadcasts) is shorter than
#: an event loop's ordinary jitter.
MIN_TOLERANCE = 0.005
#: The shared pace, as a share of TELEGRAM_MAX_RATE.
SHARE = 0.95
#: Seconds between the log lines that say what became of the slots.
REPORT_EVERY = 10.0
#: Slots a message may miss (see ``SharedPace.slot``) before it goes anyway.
TRIES = 3

_LEASE = text(
    "INSERT INTO telegram_budget (bot, next_slot) "
    "VALUES (:bot, EXTRACT(EPOCH FROM now())::float8 + :span) "
    "ON CONFLICT (bot) DO UPDATE SET next_slot = "
    "GREATEST(telegram_budget.next_slot, EXTRACT(EPOCH FROM now())::float8) + :span "
    "RETURNING next_slot - :span AS first, EXTRACT(EPOCH FROM clock_timestamp())::float8 AS at"
)
_PAUSE = text(
    "UPDATE telegram_budget SET next_slot = "
    "GREATEST(next_slot, EXTRACT(EPOCH FROM now())::float8 + :wait) WHERE bot = :bot"
)


class _ClockOffset:
    """The database's clock less the event loop's, from the quickest recent round trips.

    A lease's slots are on the database's clock. Taken as "the reply's arrival plus the delay
    it names", a reply held up on its way back (a worker thread waiting for the interpreter
    lock of a busy process) shifted all its slots late by as much: a few messages of one
    replica then landed next to the other's on-time ones, 31 in one of Telegram's seconds.
    The statement's own moment lies between asking and hearing, so the round trip with the
    least time between them (of the last ``SAMPLES``) places the clocks to within half of it,
    as NTP does."""

    SAMPLES = 64

    def __init__(self) -> None:
        self._recent: deque[tuple[float, float]] = deque(maxlen=self.SAMPLES)

    def offset(self, asked: float, heard: float, at: float) -> float:
        self._recent.append((heard - asked, at - (asked + heard) / 2))
        return min(self._recent)[1]


class SharedPace:
    """Slots of the bot's pace shared through PostgreSQL (see the module's docstring)."""

    def __init__(self, db: Database, bot: str, max_rate: float) -> None:
        self.db = db
        self.bot = bot
        self.rate = max_rate * SHARE  # messages a second, all replicas together
        self.interval = 1 / self.rate
        self.batch = max(BATCH, int(self.rate * LEASE_SECONDS))
        self.tolerance = max(self.interval, MIN_TOLERANCE)
        self._slots: deque[float] = deque()  # leased slots, in event-loop time
        self._clock = _ClockOffset()  # the database's clock, in event-loop time
        self._tasks: set[asyncio.Task[None]] = set()
        self._unavailable = False
        #: What became of the slots since the last report (``_report``).
        self.counts = {"leased": 0, "round_trips": 0, "used": 0, "let_go": 0, "late_ms": 0.0}
        self._reported = 0.0

    async def _lease(self, count: int) -> None:
        loop = asyncio.get_running_loop()
        span = count * self.interval
        try:
            asked = loop.time()
            row = await asyncio.to_thread(self.db.single, _LEASE, {"bot": self.bot, "span": span})
            heard = loop.time()
        except Exception as exc:
            if not self._unavailable:
                log.warning("shared_pace_unavailable error=%s", type(exc).__name__)
            self._unavailable = True
            return
        if self._unavailable:
            log.info("shared_pace_back")
            self._unavailable = False
        # The slots stay where the database put them: one already past by more than the
        # tolerance when the reply is heard is let go in ``slot``, never used late (moved to
        # "now", as it was, a late reply sent its messages beside the other replicas' on-time
        # ones: 31 in one of Telegram's seconds).
        start = float(row["first"]) - self._clock.offset(asked, heard, float(row["at"]))
        self._slots.extend(start + i * self.interval for i in range(count))
        self.counts["leased"] += count
        self.counts["round_trips"] += 1

    async def slot(self, waiting: int = 0) -> None:
        """Wait for this message's slot (``waiting``: how many more messages wait behind it,
        so the lease takes slots for them too).

        A slot missed by more than an interval (the event loop was held up) is let go, not
        used late: a late message of this replica would land next to the other replicas'
        on-time ones, and Telegram counts them in one second. After ``TRIES`` missed slots
        the message goes anyway (a loop that busy has sent little meanwhile)."""
        loop = asyncio.get_running_loop()
        if loop.time() - self._reported > REPORT_EVERY:
            self._report(loop.time())
        counts = self.counts
        for _ in range(TRIES):
            now = loop.time()
            while self._slots and self._slots[0] < now - self.tolerance:
                self._slots.popleft()
                counts["let_go"] += 1
            if not self._slots:
                await self._lease(max(1, min(self.batch, waiting + 1)))
            if not self._slots:
                return  # the database is unreachable: the process's own pace only
            when = self._slots.popleft()
            if when > now:
                await asyncio.sleep(when - now)
            late = loop.time() - when
            if late <= self.tolerance:
                counts["used"] += 1
                counts["late_ms"] += max(0.0, late) * 1000
                return
            counts["let_go"] += 1

    def _report(self, now: float) -> None:
        counts = self.counts
        if counts["used"] or counts["let_go"]:
            used = max(1, int(counts["used"]))
            log.info(
                "shared_pace leased=%d round_trips=%d used=%d let_go=%d late_ms_mean=%.1f",
                counts["leased"], counts["round_trips"], counts["used"], counts["let_go"],
                counts["late_ms"] / used,
            )  # fmt: skip
        self.counts = {"leased": 0, "round_trips": 0, "used": 0, "let_go": 0, "late_ms": 0.0}
        self._reported = now

    def pause(self, seconds: float) -> None:
        """Telegram's overall limit said wait ``seconds``: every replica's next slot is after."""
        self._slots.clear()
        task = asyncio.ensure_future(self._pause(seconds))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(Exception):  # (unreachable: this replica waits on its own)
            await asyncio.to_thread(self.db.single, _PAUSE, {"bot": self.bot, "wait": seconds})

"""How much one user may ask of the bot: a token bucket on incoming updates, cooldowns on the
costly commands.

Both are kept in memory, per process, and forget users who have been quiet long enough, so
they hold at most one small entry per user active in the last minute or so. Pure: no
Telegram, no database; time comes in as an argument (seconds of a monotonic clock for the
buckets, aware datetimes for the cooldowns).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

#: Updates one user may send at once, and how many more a second after that. A person
#: tapping through the feelings wheel or typing quickly stays far below; a script does not.
BURST = 20
PER_SECOND = 2.0
#: Entries kept before quiet ones are forgotten.
PRUNE_AT = 10_000

#: Costly commands, and how long after one the next is refused with a kind word.
COOLDOWNS: Mapping[str, timedelta] = {
    "export": timedelta(seconds=60),  # every row of the user, built into files
    "summary": timedelta(seconds=30),  # a period's statistics and a rendered chart
    "history": timedelta(seconds=5),  # a long entry: several messages
    "report": timedelta(seconds=60),  # a period's entries laid out as a PDF
}


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class Buckets:
    """One token bucket per key: ``take`` says whether an update may go ahead."""

    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND) -> None:
        if burst < 1 or per_second <= 0:
            raise ValueError("burst must be at least 1 and per_second positive")
        self.burst = burst
        self.per_second = per_second
        self._buckets: dict[Hashable, _Bucket] = {}

    def __len__(self) -> int:
        return len(self._buckets)

    def _refilled(self, key: Hashable, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= PRUNE_AT:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            return bucket
        elapsed = max(0.0, now - bucket.at)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.per_second)
        bucket.at = now
        if bucket.tokens >= self.burst:
            bucket.warned = False  # quiet long enough: a new flood gets a new word
        return bucket

    def take(self, key: Hashable, now: float) -> bool:
        """Take a token for one update of ``key``; False if there is none left."""
        bucket = self._refilled(key, now)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def warn_once(self, key: Hashable) -> bool:
        """True the first time it is asked during one flood of ``key`` (say "slow down"
        once, then nothing until the bucket has filled up again)."""
        bucket = self._buckets.get(key)
        if bucket is None or bucket.warned:
            return False
        bucket.warned = True
        return True

    def _prune(self, now: float) -> None:
        full_after = self.burst / self.per_second
        quiet = [key for key, b in self._buckets.items() if now - b.at >= full_after]
        for key in quiet:
            del self._buckets[key]


class Cooldowns:
    """When each user last did each costly thing; ``allow`` records and answers."""

    def __init__(self, periods: Mapping[str, timedelta] = COOLDOWNS) -> None:
        self.periods = dict(periods)
        self._last: dict[tuple[int, str, str], datetime] = {}

    def allow(self, user_id: int, action: str, now: datetime, variant: str = "") -> bool:
        """True (and the time kept) if ``action`` may run now for this user; each ``variant``
        (an export's format) has its own cooldown."""
        period = self.periods[action]
        key = (user_id, action, variant)
        last = self._last.get(key)
        if last is not None and timedelta(0) <= now - last < period:
            return False
        if len(self._last) >= PRUNE_AT:
            longest = max(self.periods.values())
            self._last = {k: v for k, v in self._last.items() if now - v < longest}
        self._last[key] = now
        return True

"""The demo's clock: real time, optionally faster, plus any skips the person asks for.

``DEMO_CLOCK_SPEED=60`` makes a demo minute pass in a real second; ``/demo-skip 1h`` jumps
ahead; ``DEMO_START=2026-12-07T07:30Z`` starts the clock at that moment instead of now. The
bot reads time only through the clock it is given, so only the demo moves.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_SKIP = re.compile(r"^\s*(\d{1,4})\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_SKIP = timedelta(weeks=8)


class DemoClock:
    """Aware UTC time: the start, plus real seconds elapsed times ``speed``, plus skips."""

    def __init__(
        self,
        speed: float = 1.0,
        start: datetime | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("the clock speed must be above 0")
        self.speed = speed
        self._monotonic = monotonic
        self._origin = monotonic()
        self._start = start or datetime.now(UTC)
        self._skipped = timedelta()

    def __call__(self) -> datetime:
        elapsed = (self._monotonic() - self._origin) * self.speed
        return self._start + timedelta(seconds=elapsed) + self._skipped

    def skip(self, delta: timedelta) -> datetime:
        self._skipped += delta
        return self()


def parse_skip(text: str) -> timedelta | None:
    """``"30m"``, ``"1h"``, ``"2d"``, ``"1w"`` → a timedelta (at most 8 weeks); else None."""
    found = _SKIP.match(text)
    if found is None:
        return None
    amount = timedelta(**{_UNITS[found.group(2).lower()]: int(found.group(1))})
    return amount if timedelta() < amount <= MAX_SKIP else None


def parse_speed(raw: str | None) -> float:
    """``DEMO_CLOCK_SPEED``: a positive number (default 1, real time)."""
    if raw is None or not raw.strip():
        return 1.0
    speed = float(raw)
    if not 0 < speed <= 100_000:
        raise ValueError("DEMO_CLOCK_SPEED must be a number above 0 (60: a minute a second)")
    return speed


def parse_start(raw: str | None) -> datetime | None:
    """``DEMO_START``: an ISO 8601 date and time (UTC when it names no offset); None: now."""
    if raw is None or not raw.strip():
        return None
    try:
        start = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("DEMO_START must be a date and time, like 2026-12-07T07:30Z") from None
    return start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)

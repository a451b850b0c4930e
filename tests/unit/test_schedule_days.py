"""Local days of an instant and their bounds, and whether a pause is on
(bot.services.schedule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.schedule import (
    is_paused,
    local_date,
    local_day_bounds,
)
from tests.unit.helpers import u


@pytest.mark.parametrize(
    ("tzname", "instant", "expected"),
    [
        ("Asia/Tokyo", u(2024, 6, 10, 15), date(2024, 6, 11)),
        ("America/New_York", u(2024, 6, 10, 3), date(2024, 6, 9)),
        ("UTC+13:45", u(2024, 1, 14, 10, 15), date(2024, 1, 15)),
        ("UTC+13:45", u(2024, 1, 14, 10, 14), date(2024, 1, 14)),
        ("Asia/Kolkata", u(2024, 1, 14, 18, 29), date(2024, 1, 14)),
        ("UTC", u(2024, 1, 14, 23, 59), date(2024, 1, 14)),
    ],
)
def test_local_date(tzname: str, instant: datetime, expected: date) -> None:
    assert local_date(tzname, instant) == expected


@pytest.mark.parametrize(
    ("tzname", "day", "start", "hours"),
    [
        ("Europe/Berlin", date(2024, 3, 31), u(2024, 3, 30, 23), 23),
        ("Europe/Berlin", date(2024, 10, 27), u(2024, 10, 26, 22), 25),
        ("Europe/Berlin", date(2024, 6, 10), u(2024, 6, 9, 22), 24),
        ("America/New_York", date(2024, 3, 10), u(2024, 3, 10, 5), 23),
        ("America/New_York", date(2024, 11, 3), u(2024, 11, 3, 4), 25),
        ("Asia/Kolkata", date(2024, 5, 1), u(2024, 4, 30, 18, 30), 24),
        ("UTC+13:45", date(2024, 1, 15), u(2024, 1, 14, 10, 15), 24),
        ("America/Havana", date(2024, 3, 10), u(2024, 3, 10, 5), 23),  # midnight gap
    ],
)
def test_local_day_bounds(tzname: str, day: date, start: datetime, hours: int) -> None:
    lo, hi = local_day_bounds(tzname, day)
    assert (lo, hi) == (start, start + timedelta(hours=hours))
    assert lo.tzinfo is UTC and hi.tzinfo is UTC
    assert local_date(tzname, lo) == day
    assert local_date(tzname, hi - timedelta(microseconds=1)) == day
    assert local_date(tzname, hi) == day + timedelta(days=1)


@pytest.mark.parametrize(
    ("paused", "until", "expected"),
    [
        (False, None, False),
        (False, u(2030, 1, 1), False),
        (True, None, True),
        (True, u(2024, 6, 10, 12, 0, 1), True),
        (True, u(2024, 6, 10, 12), False),  # ends exactly now
        (True, u(2024, 6, 9), False),
    ],
)
def test_is_paused(paused: bool, until: datetime | None, expected: bool) -> None:
    assert is_paused(paused, until, u(2024, 6, 10, 12)) is expected

"""The next weekly occurrence of a local day and time (bot.services.schedule.next_weekly)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.services.schedule import (
    next_weekly,
)
from tests.unit.helpers import u

WEEKLY_CASES = [
    pytest.param(
        6, time(2, 30), "Europe/Berlin", u(2024, 3, 25), u(2024, 3, 31, 1, 30), id="ber-sun-gap"
    ),
    pytest.param(
        6, time(2, 30), "Europe/Berlin", u(2024, 10, 21), u(2024, 10, 27, 0, 30), id="ber-sun-fold"
    ),
    pytest.param(
        6,
        time(2, 30),
        "Europe/Berlin",
        u(2024, 10, 27, 0, 30),
        u(2024, 11, 3, 1, 30),
        id="ber-sun-fold-next",
    ),
    # Sunday 19:00 New York across spring forward (167 h) and fall back (169 h)
    pytest.param(
        6, time(19), "America/New_York", u(2024, 3, 4), u(2024, 3, 10, 23), id="ny-sun-spring"
    ),
    pytest.param(
        6, time(19), "America/New_York", u(2024, 10, 27, 23), u(2024, 11, 4), id="ny-sun-fall"
    ),
    pytest.param(
        0, time(9), "Europe/Berlin", u(2024, 6, 10, 6), u(2024, 6, 10, 7), id="same-day-later"
    ),
    pytest.param(
        0, time(9), "Europe/Berlin", u(2024, 6, 10, 7), u(2024, 6, 17, 7), id="same-day-exact"
    ),
    # Weekday is the local one: Monday 07:00 in Chatham is Sunday 17:15 UTC
    pytest.param(
        0, time(7), "Pacific/Chatham", u(2024, 1, 13), u(2024, 1, 14, 17, 15), id="cht-monday"
    ),
    pytest.param(
        0, time(7), "UTC+13:45", u(2024, 1, 13), u(2024, 1, 14, 17, 15), id="off1345-monday"
    ),
    pytest.param(
        6,
        time(0),
        "Asia/Kolkata",
        u(2024, 6, 8, 18, 30),
        u(2024, 6, 15, 18, 30),
        id="kol-sun-midnight",
    ),
]


@pytest.mark.parametrize(("weekday", "local", "tzname", "after", "expected"), WEEKLY_CASES)
def test_next_weekly(
    weekday: int, local: time, tzname: str, after: datetime, expected: datetime
) -> None:
    assert next_weekly(weekday, local, tzname, after) == expected


def test_next_weekly_gap_interval() -> None:
    first = u(2024, 3, 4)  # Sunday 2024-03-03 19:00 EST
    second = next_weekly(6, time(19), "America/New_York", first)
    third = next_weekly(6, time(19), "America/New_York", second)
    assert second - first == timedelta(hours=167)
    assert third - second == timedelta(hours=168)


@pytest.mark.parametrize("weekday", [-1, 7])
def test_next_weekly_rejects_bad_weekday(weekday: int) -> None:
    with pytest.raises(ValueError):
        next_weekly(weekday, time(9), "UTC", u(2024, 1, 1))

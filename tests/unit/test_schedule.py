"""Table and property tests for bot.services.schedule (DST, odd offsets, midnight)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parse.times import TimezoneInputError, zone_for
from bot.services.schedule import (
    is_paused,
    local_date,
    local_day_bounds,
    next_daily,
    next_weekly,
)


def u(*args: int) -> datetime:
    """Aware UTC datetime shorthand."""
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# (local wall time, zone, after, expected UTC)
DAILY_CASES = [
    # --- Europe/Berlin spring forward 2024-03-31: 02:00 CET -> 03:00 CEST (01:00 UTC)
    pytest.param(
        time(7), "Europe/Berlin", u(2024, 3, 30, 6), u(2024, 3, 31, 5), id="ber-spring-07"
    ),
    pytest.param(
        time(2, 30), "Europe/Berlin", u(2024, 3, 30, 12), u(2024, 3, 31, 1, 30), id="ber-gap-0230"
    ),
    pytest.param(
        time(2), "Europe/Berlin", u(2024, 3, 30, 12), u(2024, 3, 31, 1), id="ber-gap-0200"
    ),
    pytest.param(
        time(2, 30), "Europe/Berlin", u(2024, 3, 31, 1, 30), u(2024, 4, 1, 0, 30), id="ber-gap-next"
    ),
    pytest.param(
        time(3, 30), "Europe/Berlin", u(2024, 3, 30, 12), u(2024, 3, 31, 1, 30), id="ber-after-gap"
    ),
    # --- Europe/Berlin fall back 2024-10-27: 03:00 CEST -> 02:00 CET (01:00 UTC)
    pytest.param(
        time(2, 30),
        "Europe/Berlin",
        u(2024, 10, 26, 12),
        u(2024, 10, 27, 0, 30),
        id="ber-fold-first",
    ),
    pytest.param(
        time(2, 30),
        "Europe/Berlin",
        u(2024, 10, 27, 0, 30),
        u(2024, 10, 28, 1, 30),
        id="ber-fold-no-repeat",
    ),
    pytest.param(
        time(2, 30),
        "Europe/Berlin",
        u(2024, 10, 27, 0, 45),
        u(2024, 10, 28, 1, 30),
        id="ber-fold-between",
    ),
    pytest.param(
        time(7), "Europe/Berlin", u(2024, 10, 26, 5), u(2024, 10, 27, 6), id="ber-fall-07"
    ),
    # --- America/New_York spring forward 2024-03-10: 02:00 EST -> 03:00 EDT (07:00 UTC)
    pytest.param(
        time(2, 30), "America/New_York", u(2024, 3, 9, 12), u(2024, 3, 10, 7, 30), id="ny-gap"
    ),
    pytest.param(
        time(2, 30),
        "America/New_York",
        u(2024, 3, 10, 7, 30),
        u(2024, 3, 11, 6, 30),
        id="ny-gap-next",
    ),
    pytest.param(
        time(19), "America/New_York", u(2024, 3, 10), u(2024, 3, 10, 23), id="ny-spring-19"
    ),
    # --- America/New_York fall back 2024-11-03: 02:00 EDT -> 01:00 EST (06:00 UTC)
    pytest.param(
        time(1, 30),
        "America/New_York",
        u(2024, 11, 2, 12),
        u(2024, 11, 3, 5, 30),
        id="ny-fold-first",
    ),
    pytest.param(
        time(1, 30),
        "America/New_York",
        u(2024, 11, 3, 5, 30),
        u(2024, 11, 4, 6, 30),
        id="ny-fold-no-repeat",
    ),
    pytest.param(
        time(1, 30),
        "America/New_York",
        u(2024, 11, 3, 6),
        u(2024, 11, 4, 6, 30),
        id="ny-fold-in-repeat",
    ),
    # --- +05:30 as IANA and as fixed offset
    pytest.param(time(7), "Asia/Kolkata", u(2024, 5, 1), u(2024, 5, 1, 1, 30), id="kol-07"),
    pytest.param(time(7), "UTC+05:30", u(2024, 5, 1), u(2024, 5, 1, 1, 30), id="off530-07"),
    pytest.param(
        time(0),
        "Asia/Kolkata",
        u(2024, 5, 1, 18, 30),
        u(2024, 5, 2, 18, 30),
        id="kol-midnight-exact",
    ),
    pytest.param(
        time(23, 59),
        "UTC+05:30",
        u(2024, 5, 1, 18, 29),
        u(2024, 5, 2, 18, 29),
        id="off530-2359-exact",
    ),
    pytest.param(
        time(23, 59),
        "UTC+05:30",
        u(2024, 5, 1, 18, 28),
        u(2024, 5, 1, 18, 29),
        id="off530-2359-before",
    ),
    # --- +13:45: Chatham in January (DST) equals the fixed offset; in July it is +12:45
    pytest.param(
        time(7), "Pacific/Chatham", u(2024, 1, 14, 17), u(2024, 1, 14, 17, 15), id="cht-jan"
    ),
    pytest.param(
        time(7), "UTC+13:45", u(2024, 1, 14, 17), u(2024, 1, 14, 17, 15), id="off1345-jan"
    ),
    pytest.param(time(7), "Pacific/Chatham", u(2024, 7, 1), u(2024, 7, 1, 18, 15), id="cht-jul"),
    pytest.param(time(7), "UTC+13:45", u(2024, 7, 1), u(2024, 7, 1, 17, 15), id="off1345-jul"),
    pytest.param(
        time(0),
        "UTC+13:45",
        u(2024, 1, 14, 10, 15),
        u(2024, 1, 15, 10, 15),
        id="off1345-midnight-exact",
    ),
    pytest.param(
        time(23, 59),
        "Pacific/Chatham",
        u(2024, 1, 14, 10, 13),
        u(2024, 1, 14, 10, 14),
        id="cht-2359",
    ),
    # Chatham spring forward 2024-09-29: 02:45 -> 03:45; 03:00 moves forward to 04:00 (+13:45)
    pytest.param(time(3), "Pacific/Chatham", u(2024, 9, 28), u(2024, 9, 28, 14, 15), id="cht-gap"),
    # --- local midnight boundaries
    pytest.param(
        time(0), "Europe/Berlin", u(2024, 6, 9, 22), u(2024, 6, 10, 22), id="ber-0000-exact"
    ),
    pytest.param(
        time(0),
        "Europe/Berlin",
        u(2024, 6, 9, 21, 59, 59, 999999),
        u(2024, 6, 9, 22),
        id="ber-0000-just-before",
    ),
    pytest.param(
        time(23, 59),
        "Europe/Berlin",
        u(2024, 6, 10, 21, 59),
        u(2024, 6, 11, 21, 59),
        id="ber-2359-exact",
    ),
    pytest.param(
        time(23, 59),
        "Europe/Berlin",
        u(2024, 6, 10, 21, 58, 59),
        u(2024, 6, 10, 21, 59),
        id="ber-2359-before",
    ),
    pytest.param(
        time(0), "America/New_York", u(2024, 3, 9, 5), u(2024, 3, 10, 5), id="ny-0000-spring"
    ),
    pytest.param(
        time(0), "America/New_York", u(2024, 3, 10, 5), u(2024, 3, 11, 4), id="ny-0000-after-spring"
    ),
    pytest.param(time(0), "UTC", u(2024, 12, 31, 23, 59), u(2025, 1, 1), id="utc-new-year"),
    # America/Havana springs forward at midnight: 00:30 on 2024-03-10 becomes 01:30 CDT
    pytest.param(
        time(0, 30),
        "America/Havana",
        u(2024, 3, 9, 12),
        u(2024, 3, 10, 5, 30),
        id="hav-midnight-gap",
    ),
]


@pytest.mark.parametrize(("local", "tzname", "after", "expected"), DAILY_CASES)
def test_next_daily(local: time, tzname: str, after: datetime, expected: datetime) -> None:
    result = next_daily(local, tzname, after)
    assert result == expected
    assert result.tzinfo is UTC
    assert result > after


def test_next_daily_accepts_non_utc_after() -> None:
    after = datetime(2024, 6, 10, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 2024-06-09 23:00 UTC
    assert next_daily(time(9), "Asia/Tokyo", after) == u(2024, 6, 10, 0)
    assert next_daily(time(9), "Asia/Tokyo", after).tzinfo is UTC


def test_next_daily_rejects_naive_and_corrupt_zone() -> None:
    with pytest.raises(ValueError):
        next_daily(time(9), "UTC", datetime(2024, 1, 1))
    with pytest.raises(TimezoneInputError):
        next_daily(time(9), "Not/AZone", u(2024, 1, 1))


def test_zone_change_between_occurrences() -> None:
    # Fired 07:00 in Berlin, then the user moves to New York: same day's 07:00 there is ahead.
    fired = next_daily(time(7), "Europe/Berlin", u(2024, 6, 9, 12))
    assert fired == u(2024, 6, 10, 5)
    assert next_daily(time(7), "America/New_York", fired) == u(2024, 6, 10, 11)
    # Fired 07:00 in New York, then the user moves to Tokyo, where 07:00 today is long past.
    fired = u(2024, 6, 10, 11)
    assert next_daily(time(7), "Asia/Tokyo", fired) == u(2024, 6, 10, 22)
    # Moving east to a fixed offset: Berlin 07:00 fired, UTC+05:30's 07:00 today already passed.
    assert next_daily(time(7), "UTC+05:30", u(2024, 6, 10, 5)) == u(2024, 6, 11, 1, 30)


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


# ----------------------------------------------------------------------------- properties

ZONES = [
    "UTC",
    "UTC+05:30",
    "UTC+13:45",
    "UTC-03:00",
    "UTC-12:00",
    "UTC+14:00",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Havana",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "Pacific/Chatham",
]
afters = st.datetimes(
    min_value=datetime(1995, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
)
wall_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


def _exists(day: date, t: time, tzname: str) -> bool:
    tz = zone_for(tzname)
    wall = datetime.combine(day, t, tzinfo=tz)
    return wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None)


@given(wall_times, st.sampled_from(ZONES), afters)
@settings(max_examples=200, deadline=None)
def test_next_daily_properties(t: time, tzname: str, after: datetime) -> None:
    tz = zone_for(tzname)
    result = next_daily(t, tzname, after)
    assert result > after
    assert result - after <= timedelta(hours=26)
    loc = result.astimezone(tz)
    if loc.time() == t:
        assert loc.fold == 0  # never the repeated occurrence
    else:  # t did not exist that day: moved forward by the gap
        assert not _exists(loc.date(), t, tzname)
        assert loc.replace(tzinfo=None) > datetime.combine(loc.date(), t)
        assert loc.replace(tzinfo=None) - datetime.combine(loc.date(), t) <= timedelta(hours=1)
    # No occurrence was skipped: scan every minute strictly between after and result.
    minute = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < result:
        seen = minute.astimezone(tz)
        assert not (seen.time() == t and seen.fold == 0), (minute, result)
        minute += timedelta(minutes=1)


@given(st.integers(0, 6), wall_times, st.sampled_from(ZONES), afters)
@settings(max_examples=200, deadline=None)
def test_next_weekly_properties(weekday: int, t: time, tzname: str, after: datetime) -> None:
    result = next_weekly(weekday, t, tzname, after)
    assert after < result <= after + timedelta(days=7, hours=2)
    assert local_date(tzname, result).weekday() == weekday
    assert result == next_daily(t, tzname, result - timedelta(microseconds=1))


@given(st.sampled_from(ZONES), st.dates(min_value=date(1995, 1, 1), max_value=date(2037, 12, 31)))
def test_local_day_bounds_properties(tzname: str, day: date) -> None:
    lo, hi = local_day_bounds(tzname, day)
    assert timedelta(hours=22) <= hi - lo <= timedelta(hours=26)
    assert local_date(tzname, lo) == day
    assert local_date(tzname, hi - timedelta(microseconds=1)) == day
    assert local_date(tzname, hi) == day + timedelta(days=1)

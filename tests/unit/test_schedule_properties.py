"""Property tests for bot.services.schedule over many zones and instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parse.times import zone_for
from bot.services.schedule import (
    local_date,
    local_day_bounds,
    next_daily,
    next_weekly,
)

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

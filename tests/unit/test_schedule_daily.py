"""The next daily occurrence of a local time (bot.services.schedule.next_daily): DST gaps
and folds, odd offsets, midnight, a zone changed between occurrences."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.services.parse.times import TimezoneInputError
from bot.services.schedule import (
    next_daily,
)
from tests.unit.helpers import u

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

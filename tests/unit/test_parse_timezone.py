"""Reading a timezone from a city, a zone name or an offset, and loading it
(bot.services.parse.times): tables and properties."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.cities import ALIASES
from bot.services.parse.times import (
    InputError,
    TimezoneInputError,
    _fold,
    describe_zone,
    local_now,
    parse_timezone,
    zone_for,
)

# ----------------------------------------------------------------------------- zones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # IANA names, any case, spaces for underscores
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("AMERICA/NEW_YORK", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("US/Eastern", "US/Eastern"),
        # last path component
        ("Berlin", "Europe/Berlin"),
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("Kamchatka", "Asia/Kamchatka"),
        ("Zürich", "Europe/Zurich"),
        ("port-au-prince", "America/Port-au-Prince"),
        # clashes resolve to the canonical (deeper) name
        ("Indianapolis", "America/Indiana/Indianapolis"),
        ("Cordoba", "America/Argentina/Cordoba"),
        # city table (accents and case folded)
        ("london", "Europe/London"),
        ("NYC", "America/New_York"),
        ("LA", "America/Los_Angeles"),
        ("sf", "America/Los_Angeles"),
        ("San Francisco", "America/Los_Angeles"),
        ("Mumbai", "Asia/Kolkata"),
        ("bangalore", "Asia/Kolkata"),
        ("Kiev", "Europe/Kyiv"),
        ("kyiv", "Europe/Kyiv"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("SAO_PAULO", "America/Sao_Paulo"),
        ("Mexico City", "America/Mexico_City"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Bogotá", "America/Bogota"),
        ("tel aviv", "Asia/Jerusalem"),
        ("Chatham", "Pacific/Chatham"),
        ("kathmandu", "Asia/Kathmandu"),
        ("St. John's", "America/St_Johns"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("  Tokyo  ", "Asia/Tokyo"),
        ("EST", "America/New_York"),
        # UTC spellings
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("Z", "UTC"),
        ("Etc/UTC", "UTC"),
        ("Zulu", "UTC"),
        # offsets
        ("+05:30", "UTC+05:30"),
        ("-3", "UTC-03:00"),
        ("UTC+5:45", "UTC+05:45"),
        ("GMT-03:00", "UTC-03:00"),
        ("+0530", "UTC+05:30"),
        ("+13:45", "UTC+13:45"),
        ("utc +1", "UTC+01:00"),
        ("UTC\u22125", "UTC-05:00"),  # unicode minus sign
        ("+14:00", "UTC+14:00"),
        ("-12:00", "UTC-12:00"),
        ("+0", "UTC"),
        ("UTC-00:00", "UTC"),
        ("UTC+05:30", "UTC+05:30"),
        # POSIX-inverted Etc/GMT names become the unsurprising offset form
        ("Etc/GMT+5", "UTC-05:00"),
        ("Etc/GMT-14", "UTC+14:00"),
    ],
)
def test_parse_timezone_accepts(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "tz.unknown"),
        ("   ", "tz.unknown"),
        ("abc", "tz.unknown"),
        ("Mars/Olympus", "tz.unknown"),
        ("x" * 10_000, "tz.unknown"),
        ("+14:15", "tz.offset"),
        ("-12:30", "tz.offset"),
        ("+15", "tz.offset"),
        ("UTC+5:20", "tz.offset"),
        ("GMT-13", "tz.offset"),  # must not become Etc/GMT-13 (which is UTC+13)
        ("+5:60", "tz.offset"),
        ("localtime", "tz.unknown"),
        ("Factory", "tz.unknown"),
    ],
)
def test_parse_timezone_rejects(text: str, key: str) -> None:
    with pytest.raises(TimezoneInputError) as info:
        parse_timezone(text)
    assert info.value.key == key
    assert len(info.value.suggestions) <= 3


@pytest.mark.parametrize(
    ("text", "expected_first"),
    [("Berlinn", "Europe/Berlin"), ("Lndon", "Europe/London"), ("Amsterdm", "Europe/Amsterdam")]
    + [("new yrok", "America/New_York"), ("Tokyoo", "Asia/Tokyo")],
)
def test_parse_timezone_suggestions(text: str, expected_first: str) -> None:
    with pytest.raises(TimezoneInputError) as info:
        parse_timezone(text)
    err = info.value
    assert err.key == "tz.unknown" and err.example == "Europe/Berlin"
    assert err.suggestions[0] == expected_first
    assert 1 <= len(err.suggestions) <= 3
    assert len(set(err.suggestions)) == len(err.suggestions)
    for name in err.suggestions:
        zone_for(name)


def test_alias_table_is_valid() -> None:
    available = zoneinfo.available_timezones()
    assert len(ALIASES) >= 30
    for key, zone in ALIASES.items():
        assert key == _fold(key), key
        assert zone in available, (key, zone)
        assert parse_timezone(key) == zone


@given(st.text(max_size=80))
@settings(max_examples=300)
def test_parse_timezone_total(text: str) -> None:
    try:
        name = parse_timezone(text)
    except InputError as exc:
        assert isinstance(exc, TimezoneInputError)
        return
    zone_for(name)  # whatever we return must be loadable
    assert parse_timezone(name) == name  # and canonical


@given(st.integers(-48, 56).map(lambda q: q * 15))
def test_every_valid_offset_roundtrips(minutes: int) -> None:
    sign = "-" if minutes < 0 else "+"
    text = f"{sign}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"
    name = parse_timezone(text)
    assert parse_timezone(name) == name
    assert zone_for(name).utcoffset(None) == timedelta(minutes=minutes)


# ----------------------------------------------------------------------------- zone_for

NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "offset"),
    [
        ("UTC", timedelta(0)),
        ("Europe/Berlin", timedelta(hours=2)),
        ("Asia/Kolkata", timedelta(hours=5, minutes=30)),
        ("UTC+05:30", timedelta(hours=5, minutes=30)),
        ("UTC-03:00", timedelta(hours=-3)),
        ("UTC+13:45", timedelta(hours=13, minutes=45)),
        ("Pacific/Chatham", timedelta(hours=12, minutes=45)),  # July: standard time
    ],
)
def test_zone_for(name: str, offset: timedelta) -> None:
    assert NOW.astimezone(zone_for(name)).utcoffset() == offset


@pytest.mark.parametrize(
    "name",
    ["", "garbage", "europe/berlin", "../../etc/passwd", "UTC+15:00", "UTC+5:30", "localtime"],
)
def test_zone_for_rejects_corrupt_names(name: str) -> None:
    with pytest.raises(TimezoneInputError):
        zone_for(name)


def test_local_now_and_describe_zone() -> None:
    assert local_now("Europe/Berlin", NOW) == datetime(
        2024, 7, 1, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert describe_zone("Europe/Berlin", datetime(2024, 1, 1, 13, 5, tzinfo=UTC)) == (
        "Europe/Berlin (now 14:05)"
    )
    assert describe_zone("UTC+05:30", NOW) == "UTC+05:30 (now 17:30)"
    assert describe_zone("UTC", NOW) == "UTC (now 12:00)"
    with pytest.raises(ValueError):
        local_now("UTC", datetime(2024, 1, 1))

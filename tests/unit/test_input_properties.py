"""Property tests: whatever a user types or a button carries gives a value or a clear
validation error — never a crash, never a silently wrong value."""

from __future__ import annotations

import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.cities import ALIASES
from bot.features.onboarding.timezone_step import zone_from_data
from bot.services.parse.times import (
    DayInputError,
    TimeInputError,
    TimezoneInputError,
    parse_day,
    parse_timezone,
    parse_weekly,
    zone_for,
)
from bot.services.profile import MAX_PAUSE_DAYS, parse_pause_days

PREFIXES = ("ob:tz", "st:tzset")  # onboarding's confirm/pick buttons, settings' suggestions


def canonical(raw: str) -> str | None:
    try:
        return parse_timezone(raw)
    except TimezoneInputError:
        return None


ZONES = sorted(
    {z for z in map(canonical, [*zoneinfo.available_timezones(), *ALIASES]) if z is not None}
)
OFFSETS = st.integers(-48, 56).map(
    lambda q: f"UTC{'-' if q < 0 else '+'}{abs(q) * 15 // 60:02d}:{abs(q) * 15 % 60:02d}"
)
ANY_ZONE = st.sampled_from(ZONES) | OFFSETS.map(lambda text: canonical(text) or "UTC")


# --- callback data ------------------------------------------------------------------------------


@given(st.sampled_from(PREFIXES), ANY_ZONE)
@settings(max_examples=400)
def test_every_zone_survives_its_button(prefix: str, zone: str) -> None:
    data = f"{prefix}:{zone}"
    assert len(data.encode()) <= 64  # Telegram's limit for callback data
    assert zone_from_data(data) == zone


@given(st.text(max_size=80))
@settings(max_examples=400)
def test_any_callback_data_gives_a_zone_or_none(data: str) -> None:
    zone = zone_from_data(data)
    if zone is not None:
        zone_for(zone)  # loadable
        assert parse_timezone(zone) == zone  # and canonical


@given(st.sampled_from(PREFIXES), st.text(max_size=60))
def test_forged_zone_data_is_validated(prefix: str, raw: str) -> None:
    zone = zone_from_data(f"{prefix}:{raw}")
    assert zone is None or zone == canonical(raw)


def test_data_without_a_zone_gives_none() -> None:
    for data in ("", "ob", "ob:tz", "ob:tz:", "st:tzset:", ":", "::", "ob:tz:Mars/Olympus"):
        assert zone_from_data(data) is None


# --- typed input ---------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_parse_day_total(text: str) -> None:
    try:
        day = parse_day(text)
    except DayInputError:
        return
    assert 0 <= day <= 6


@given(st.text(max_size=60))
@settings(max_examples=300)
def test_parse_weekly_total(text: str) -> None:
    try:
        day, at = parse_weekly(text)
    except (DayInputError, TimeInputError):
        return
    assert 0 <= day <= 6 and at.tzinfo is None


@given(st.text(max_size=20) | st.integers(-1000, 1000).map(str))
def test_parse_pause_days_total(text: str) -> None:
    try:
        days = parse_pause_days(text)
    except ValueError:
        return
    assert 1 <= days <= MAX_PAUSE_DAYS

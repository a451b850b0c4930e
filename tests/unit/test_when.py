"""Typed and preset moments for a repair, and when its follow-up comes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.parse.moments import WhenError, describe, followup_time, parse_when, preset_time

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 10:00 in Berlin


def local(text: str, zone: ZoneInfo = BERLIN, now: datetime = NOW) -> str:
    return parse_when(text, zone, now).astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:30", "Mon 2026-03-02 21:30"),
        ("9:30", "Tue 2026-03-03 09:30"),  # already past today: tomorrow
        ("7pm", "Mon 2026-03-02 19:00"),
        ("tonight", "Mon 2026-03-02 19:00"),
        ("tonight 9", "Mon 2026-03-02 21:00"),
        ("this evening", "Mon 2026-03-02 19:00"),
        ("tomorrow", "Tue 2026-03-03 19:00"),
        ("Tomorrow at 7pm", "Tue 2026-03-03 19:00"),
        ("tmrw 8:15", "Tue 2026-03-03 08:15"),
        ("7pm tomorrow", "Tue 2026-03-03 19:00"),
        ("friday 18:00", "Fri 2026-03-06 18:00"),
        ("on Fri", "Fri 2026-03-06 19:00"),
        ("monday 9:00", "Mon 2026-03-09 09:00"),  # today's 9:00 is past: next week
        ("monday 20:00", "Mon 2026-03-02 20:00"),
        ("2026-03-20 18:00", "Fri 2026-03-20 18:00"),
        ("20.03. 18:00", "Fri 2026-03-20 18:00"),
        ("20/03/2026 6pm", "Fri 2026-03-20 18:00"),
        ("20 March 6pm", "Fri 2026-03-20 18:00"),
        ("March 20th", "Fri 2026-03-20 19:00"),
        ("1 Feb", "Mon 2027-02-01 19:00"),  # without a year: the next one
        ("in 2 hours", "Mon 2026-03-02 12:00"),
        ("in 3 days", "Thu 2026-03-05 19:00"),
        ("in a week", "Mon 2026-03-09 19:00"),
        ("  Friday   6 pm. ", "Fri 2026-03-06 18:00"),
    ],
)
def test_parse_when(text: str, expected: str) -> None:
    assert local(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("whenever", "bad"),
        ("", "bad"),
        ("friday at noonish", "bad"),
        ("31.02.", "bad"),
        ("25:00", "bad"),
        ("2026-03-01 18:00", "past"),
        ("today 8:00", "past"),
        ("2030-01-01", "far"),
        ("x" * 500, "bad"),
    ],
)
def test_parse_when_refuses(text: str, key: str) -> None:
    with pytest.raises(WhenError) as err:
        parse_when(text, BERLIN, NOW)
    assert err.value.key == key


def test_a_time_in_the_dst_gap_moves_forward() -> None:
    now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Saturday; clocks go forward Sunday 02:00
    moment = parse_when("sunday 2:30", BERLIN, now)
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_presets() -> None:
    assert preset_time("tonight", BERLIN, NOW) == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    assert preset_time("tomorrow", BERLIN, NOW) == datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    assert preset_time("days", BERLIN, NOW) == datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    late = datetime(2026, 3, 2, 20, 10, tzinfo=UTC)  # 21:10 in Berlin: tonight is soon
    assert preset_time("tonight", BERLIN, late) == datetime(2026, 3, 2, 20, 40, tzinfo=UTC)
    with pytest.raises(ValueError):
        preset_time("someday", BERLIN, NOW)


def test_followup_time_avoids_the_night() -> None:
    evening = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # 19:00 Berlin
    assert followup_time(evening, BERLIN, NOW) == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    late = datetime(2026, 3, 2, 20, 30, tzinfo=UTC)  # 21:30 → 23:30: next morning 10:00
    assert followup_time(late, BERLIN, NOW) == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    small_hours = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 00:00 → 02:00: that morning
    assert followup_time(small_hours, BERLIN, NOW) == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert followup_time(None, BERLIN, NOW) == datetime(2026, 3, 4, 18, 0, tzinfo=UTC)


def test_describe() -> None:
    assert describe(datetime(2026, 3, 3, 20, 0, tzinfo=UTC), BERLIN) == "Tue 3 Mar, 21:00"


@given(st.text(max_size=80))
def test_anything_typed_is_a_future_moment_or_a_kind_error(text: str) -> None:
    try:
        moment = parse_when(text, BERLIN, NOW)
    except WhenError as err:
        assert err.key in ("bad", "past", "far")
    else:
        assert moment > NOW and moment.tzinfo is not None

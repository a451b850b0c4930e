"""Reading a time of day, a day of the week and a weekly slot (bot.services.parse.times):
tables and properties."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.parse.times import (
    DAY_NAMES,
    DayInputError,
    InputError,
    TimeInputError,
    format_time,
    parse_day,
    parse_time,
    parse_weekly,
)

# ----------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:30", time(7, 30)),
        ("07:30", time(7, 30)),
        ("7.30", time(7, 30)),
        ("7:30pm", time(19, 30)),
        ("7:30 PM", time(19, 30)),
        ("7:30 p.m.", time(19, 30)),
        ("7:30am", time(7, 30)),
        ("7pm", time(19, 0)),
        ("7 pm", time(19, 0)),
        ("12am", time(0, 0)),
        ("12:15am", time(0, 15)),
        ("12pm", time(12, 0)),
        ("12:45 PM", time(12, 45)),
        ("19h", time(19, 0)),
        ("19h30", time(19, 30)),
        ("19H05", time(19, 5)),
        ("19", time(19, 0)),
        ("0", time(0, 0)),
        ("0730", time(7, 30)),
        ("730", time(7, 30)),
        ("2359", time(23, 59)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("  7:30  ", time(7, 30)),
        ("\t19:00\n", time(19, 0)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("25:99", "time.range"),
        ("24:00", "time.range"),
        ("23:60", "time.range"),
        ("13pm", "time.range"),
        ("0am", "time.range"),
        ("2400", "time.range"),
        ("", "time.invalid"),
        ("   ", "time.invalid"),
        ("abc", "time.invalid"),
        ("7:3", "time.invalid"),
        ("7:30:00", "time.invalid"),
        ("-7:30", "time.invalid"),
        ("07:30 xm", "time.invalid"),
        ("１９:００", "time.invalid"),  # full-width digits are rejected
        ("7" * 10_000, "time.invalid"),
        (" " * 10_000 + "7:30", "time.invalid"),
    ],
)
def test_parse_time_rejects(text: str, key: str) -> None:
    with pytest.raises(TimeInputError) as info:
        parse_time(text)
    assert info.value.key == key
    assert info.value.example == "07:30"
    assert isinstance(info.value, InputError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("t", "text"), [(time(0, 0), "00:00"), (time(7, 5), "07:05"), (time(23, 59), "23:59")]
)
def test_format_time(t: time, text: str) -> None:
    assert format_time(t) == text


@given(st.text(max_size=40))
def test_parse_time_total(text: str) -> None:
    try:
        result = parse_time(text)
    except InputError:
        return
    assert isinstance(result, time)


@given(st.times())
def test_parse_time_roundtrips_format(t: time) -> None:
    assert parse_time(format_time(t)) == t.replace(second=0, microsecond=0)


# ----------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mon", 0), ("Monday", 0), ("TUE", 1), ("wednesday", 2), ("thu", 3), ("Thurs", 3)]
    + [("fri", 4), ("Saturday", 5), ("sun", 6), ("Sunday", 6), (" SUNDAY ", 6)],
)
def test_parse_day(text: str, expected: int) -> None:
    assert parse_day(text) == expected
    assert DAY_NAMES[expected].lower().startswith(text.strip().lower()[:3])


@pytest.mark.parametrize("text", ["", "someday", "do", "di", "7", "x" * 10_000])
def test_parse_day_rejects(text: str) -> None:
    with pytest.raises(DayInputError) as info:
        parse_day(text)
    assert info.value.key == "day.invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sunday 19:00", (6, time(19, 0))),
        ("Sun 7pm", (6, time(19, 0))),
        ("sun at 7 pm", (6, time(19, 0))),
        ("MON 0730", (0, time(7, 30))),
        ("  friday   18h30 ", (4, time(18, 30))),
    ],
)
def test_parse_weekly(text: str, expected: tuple[int, time]) -> None:
    assert parse_weekly(text) == expected


@pytest.mark.parametrize(
    ("text", "error", "key"),
    [
        ("sunday", DayInputError, "weekly.invalid"),
        ("", DayInputError, "weekly.invalid"),
        ("someday 19:00", DayInputError, "day.invalid"),
        ("sunday 25:00", TimeInputError, "time.range"),
        ("sunday soon", TimeInputError, "time.invalid"),
        ("sun " + "1" * 10_000, DayInputError, "weekly.invalid"),
    ],
)
def test_parse_weekly_rejects(text: str, error: type[InputError], key: str) -> None:
    with pytest.raises(error) as info:
        parse_weekly(text)
    assert info.value.key == key
    assert info.value.example == "Sunday 19:00"

"""The demo's clock can start at a chosen moment (DEMO_START), so a demo or its test shows the
morning check-in whatever the hour it is run at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from demo.clock import DemoClock, parse_start


def test_a_chosen_start_is_read_as_utc_unless_it_names_an_offset() -> None:
    assert parse_start("2026-12-07T07:30Z") == datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
    assert parse_start("2026-12-07T07:30") == datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
    berlin = parse_start("2026-12-07T08:30+01:00")
    assert berlin == datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
    assert berlin is not None and berlin.utcoffset() == timedelta(0)
    assert parse_start(None) is None and parse_start("  ") is None


def test_a_start_it_cannot_read_is_refused_with_an_example() -> None:
    with pytest.raises(ValueError, match="like 2026-12-07T07:30Z"):
        parse_start("monday morning")


def test_the_clock_runs_on_from_the_chosen_start() -> None:
    ticks = iter([100.0, 100.0, 130.0])
    start = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
    clock = DemoClock(speed=60, start=start, monotonic=lambda: next(ticks))
    assert clock() == start
    assert clock() == start + timedelta(minutes=30)  # 30 real seconds at 60×

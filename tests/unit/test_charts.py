"""Week chart: valid PNG, phone-sized, small, renders empty weeks and gaps."""

from __future__ import annotations

import math
import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from bot.charts import ChartDay, day_label, render_week_chart, render_week_chart_async

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONDAY = date(2026, 3, 2)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk (always the first chunk)."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def week(values: list[tuple[float | None, float | None, int]]) -> list[ChartDay]:
    return [
        ChartDay(MONDAY + timedelta(days=i), m, e, done, 2) for i, (m, e, done) in enumerate(values)
    ]


FULL_WEEK = week([(6, 4, 2), (7, 5, 2), (5, 5, 1), (8, 3, 2), (4, 2, 2), (3, 3, 1), (2, 1, 2)])


def assert_sensible_png(data: bytes) -> None:
    assert data.startswith(PNG_SIGNATURE)
    width, height = png_size(data)
    assert 700 <= width <= 1200
    assert 450 <= height <= 900
    assert width > height
    assert len(data) < 200 * 1024


def test_full_week_png() -> None:
    data = render_week_chart(FULL_WEEK, "Your week")
    assert_sensible_png(data)
    assert png_size(data) == (900, 600)


def test_empty_week_renders() -> None:
    assert_sensible_png(render_week_chart([], "Your week"))


def test_none_values_render() -> None:
    days = week([(None, None, 0), (5, None, 1), (None, 4, 1), (None, None, 0), (6, 6, 2)])
    assert_sensible_png(render_week_chart(days, "Gaps"))


def test_all_none_and_nan_render() -> None:
    days = week([(None, None, 0)] * 6 + [(math.nan, None, 0)])
    assert_sensible_png(render_week_chart(days, "Nothing yet"))


def test_single_day_and_odd_values_render() -> None:
    odd = [ChartDay(MONDAY, 14.0, -3.0, 3, 2)]  # out of range, done > possible
    assert_sensible_png(render_week_chart(odd, ""))


def test_unsorted_and_long_ranges_render() -> None:
    days = [ChartDay(MONDAY + timedelta(days=i), 5, 5, 1, 2) for i in range(14)]
    assert_sensible_png(render_week_chart(list(reversed(days)), "Two weeks"))


@pytest.mark.filterwarnings("error")
def test_long_unicode_title() -> None:
    title = "Your week · Mar 2–8 — steady practice, one day at a time 🌱"
    assert_sensible_png(render_week_chart(FULL_WEEK, title))


def test_day_label() -> None:
    assert day_label(MONDAY) == "Mon 2"
    assert day_label(date(2026, 3, 8)) == "Sun 8"


def test_renders_from_threads() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: render_week_chart(FULL_WEEK[:i], f"W{i}"), range(8)))
    for data in results:
        assert_sensible_png(data)


async def test_async_render() -> None:
    data = await render_week_chart_async(FULL_WEEK, "Your week")
    assert data == render_week_chart(FULL_WEEK, "Your week")


def test_practice_distress_is_a_series_of_its_own_when_there_was_practice() -> None:
    from dataclasses import replace

    from bot.charts import _draw

    practised = [replace(d, practice=3.0) if i in (1, 4) else d for i, d in enumerate(FULL_WEEK)]
    labels = lambda fig: [text.get_text() for legend in fig.legends for text in legend.get_texts()]  # noqa: E731
    assert "Practice (after)" in labels(_draw(practised, "Your week"))
    assert "Practice (after)" not in labels(_draw(FULL_WEEK, "Your week"))
    data = render_week_chart(practised, "Your week")
    assert_sensible_png(data)
    assert data != render_week_chart(FULL_WEEK, "Your week")

"""Long-range charts stay legible: labels thin out, per-bar counts give way to the bars."""

from __future__ import annotations

from datetime import date, timedelta

from bot.charts import ChartDay, label_step, render_week_chart
from tests.unit.test_charts import assert_sensible_png, png_size


def test_label_step() -> None:
    assert [label_step(n) for n in (1, 7, 8, 9, 14, 15, 28, 52)] == [1, 1, 1, 2, 2, 7, 7, 7]


def test_four_weeks_and_a_year_of_weekly_points_render() -> None:
    start = date(2026, 2, 9)
    for n in (28, 52):
        days = [ChartDay(start + timedelta(days=i), i % 10, 5, 2, 2) for i in range(n)]
        png = render_week_chart(days, f"Your last {n} days")
        assert_sensible_png(png)
        assert png_size(png) == (900, 600)

"""/report's periods, typed dates and filters (bot/services/report/period.py): pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.report import period as p
from bot.services.report.pdf import WRITERS

TODAY = date(2026, 3, 2)


def test_presets_end_today() -> None:
    assert p.preset("2w", TODAY) == p.Period(date(2026, 2, 17), TODAY)
    assert p.preset("2w", TODAY).days == 14
    assert p.preset("4w", TODAY).days == 28
    assert p.preset("3m", TODAY) == p.Period(date(2025, 12, 3), TODAY)
    with pytest.raises(ValueError):
        p.preset("1y", TODAY)


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 5, 31), date(2026, 3, 1)),  # 28 Feb is the last day of February
        (date(2024, 5, 31), date(2024, 3, 1)),  # 29 Feb in a leap year
        (date(2026, 1, 15), date(2025, 10, 16)),  # across the year
        (date(2026, 3, 31), date(2026, 1, 1)),
    ],
)
def test_three_months_back_across_short_months_and_years(today: date, start: date) -> None:
    assert p.preset("3m", today).start == start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-01 2026-02-26", (date(2026, 2, 1), date(2026, 2, 26))),
        ("1.2.2026 – 26.2.2026", (date(2026, 2, 1), date(2026, 2, 26))),
        ("from 01/02/2026 to 26/02/2026", (date(2026, 2, 1), date(2026, 2, 26))),
        ("26.2.2026 - 1.2.2026", (date(2026, 2, 1), date(2026, 2, 26))),  # either order
        ("2026-01-05", (date(2026, 1, 5), TODAY)),  # one date: until today
        ("2026-02-01 2026-12-31", (date(2026, 2, 1), TODAY)),  # no further than today
        ("2024-03-03 2026-03-02", (date(2024, 3, 3), TODAY)),  # 730 days
    ],
)
def test_typed_dates(text: str, expected: tuple[date, date]) -> None:
    assert p.parse_dates(text, TODAY) == p.Period(*expected)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("last winter", "unreadable"),
        ("", "unreadable"),
        ("2026-02-30 2026-03-01", "unreadable"),  # no 30 February
        ("2026-01-01 2026-01-02 2026-01-03", "unreadable"),
        ("2026-04-01", "future"),
        ("2024-02-29 2026-03-01", "too_long"),
    ],
)
def test_typed_dates_that_are_no_period(text: str, problem: str) -> None:
    assert p.parse_dates(text, TODAY) == problem


def test_a_period_survives_callback_data() -> None:
    period = p.Period(date(2026, 2, 1), date(2026, 2, 26))
    assert period.code == "20260201-20260226"
    assert p.decode(period.code) == period
    assert len(f"pdf:i:{period.code}:checkins") <= 64  # Telegram's callback data limit
    for forged in ("20260226-20260201", "20261301-20261302", "20200101-20260101", "x"):
        assert p.decode(forged) is None


def test_filters_keep_their_sections_in_document_order() -> None:
    assert p.sections("all") == ("overview", "checkins", "thoughts", "repairs")
    assert p.sections("thoughts") == ("thoughts",)
    assert p.sections("repairs") == ("repairs",)
    assert p.sections("checkins") == ("overview", "checkins")
    with pytest.raises(ValueError):
        p.sections("practices")
    for kept in p.INCLUDES.values():
        assert list(kept) == [s for s in p.SECTIONS if s in kept]


def test_every_section_has_a_writer() -> None:
    assert set(WRITERS) == set(p.SECTIONS)


def test_the_file_name_is_the_date_only() -> None:
    assert p.filename(TODAY) == "steady-report-2026-03-02.pdf"
    assert p.Period(date(2026, 2, 1), date(2026, 2, 1)).weeks == 1
    assert p.Period(date(2026, 2, 1), date(2026, 2, 15)).weeks == 3

"""The summary a user reads: exact text for a seeded week, an empty week, and the rules."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.streaks import Streaks
from bot.services.summary import Summary, Themes
from bot.services.summary_text import chart_title, parse_weeks, render, suggestion
from bot.store import users
from bot.store.db import Database
from tests import seed
from tests.records import build_summary

SEEDED_WEEK_TEXT = """\
Your week: Mon 2 Mar – Sun 8 Mar

Current streak: 13 days
Best streak: 20 days
Commitments kept in a row: 1 (best 2)

Check-ins: 6 of 6 mornings, 4 of 5 evenings
Most often you felt: anxious (5), hopeful (3), calm (2)
Average intensity: 4.6 of 10, lower than the week before (6.5)

Triggers logged: 3
• Who came up: Partner (2), Mum
• Where: Texting (2), At home
• Thinking traps: Mind reading (2), Catastrophizing
• Intensity in the moment, then after reflecting: 7.0 → 4.0

Repairs: 2 planned, 1 followed up — happened: 1
Commitments kept: 3 of 6 (1 partly)

For next week: A repair you planned is still waiting for its follow-up. When it feels right, \
take that next small step — and tell me how it went."""


def summary_of(db: Database, now: datetime = seed.WEEK_NOW, weeks: int = 1) -> Summary:
    user = users.get(db, 1001)
    assert user is not None
    return build_summary(db, user, now, weeks)


def test_seeded_week(db: Database) -> None:
    seed.seeded_week(db)
    summary = summary_of(db)
    assert render(summary) == SEEDED_WEEK_TEXT
    assert len(summary.chart) == 7
    assert [d.checkins_done for d in summary.chart] == [2, 2, 0, 1, 2, 2, 1]
    assert [d.checkins_possible for d in summary.chart] == [2, 2, 0, 2, 2, 2, 1]
    assert summary.chart[0].morning_intensity == 6 and summary.chart[3].evening_intensity is None


def test_sunday_evening_counts_once_its_time_has_passed(db: Database) -> None:
    seed.seeded_week(db)
    late = seed.WEEK_NOW + timedelta(hours=3)  # Sunday 22:00 in Berlin
    assert "4 of 6 evenings" in render(summary_of(db, late))


def test_days_before_onboarding_are_not_possible(db: Database) -> None:
    # Onboarded Thursday 10:00 local: Thursday's morning was not possible, its evening was.
    seed.user(db, 1001, onboarded_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    seed.checkin(db, 1001, date(2026, 3, 7), "morning", intensity=4)
    text = render(summary_of(db))
    assert "Check-ins: 1 of 3 mornings, 0 of 3 evenings" in text
    assert "Current streak: 1 day\n" in text and "Best streak: 1 day\n" in text


def test_empty_week(db: Database) -> None:
    seed.user(db, 1001)
    seed.calendar(db, 1001, date(2026, 1, 5), "D" * 12)
    summary = summary_of(db)
    assert summary.empty
    assert render(summary) == (
        "Your week: Mon 2 Mar – Sun 8 Mar\n\n"
        "A quiet week here — and that's okay. Life gets full, and this journal waits patiently. "
        "Whenever you're ready, /checkin takes about a minute.\n\n"
        "Your best streak so far is 12 days. That's still yours."
    )


def test_empty_week_of_a_new_user(db: Database) -> None:
    seed.user(db, 1001, onboarded_at=seed.WEEK_NOW - timedelta(days=1))
    text = render(summary_of(db))
    assert "quiet week" in text and "streak" not in text and "0" not in text


def test_four_weeks(db: Database) -> None:
    seed.seeded_week(db)
    summary = summary_of(db, weeks=4)
    text = render(summary)
    assert text.startswith("Your last 4 weeks: Mon 9 Feb – Sun 8 Mar\n")
    # Two quiet weeks in February count as possible: factual, and said without blame.
    assert "Check-ins: 13 of 27 mornings, 11 of 26 evenings" in text
    assert "Current streak: 13 days" in text
    assert len(summary.chart) == 28 and chart_title(summary) == "Your last 4 weeks"
    assert "the 4 weeks before" not in text  # no data before: no comparison


def test_long_periods_chart_one_point_per_week(db: Database) -> None:
    seed.seeded_week(db)
    summary = summary_of(db, weeks=12)
    assert len(summary.chart) == 12
    assert summary.chart[-1].checkins_done == 10  # this week: 6 mornings + 4 evenings
    assert chart_title(summary) == "Your last 12 weeks (one point per week)"


def test_year_boundary_title(db: Database) -> None:
    seed.user(db, 1001)
    seed.calendar(db, 1001, date(2026, 12, 28), "BBBBBBB")
    now = seed.at_local(date(2027, 1, 3), datetime.min.time().replace(hour=19), "Europe/Berlin")
    text = render(summary_of(db, now))
    assert text.startswith("Your week: Mon 28 Dec – Sun 3 Jan\n")
    assert "Current streak: 7 days" in text


@pytest.mark.parametrize(
    ("text", "weeks"),
    [("", 1), ("1", 1), ("4w", 4), ("4 W", 4), ("4 weeks", 4), ("1 week", 1), ("52w", 52)],
)
def test_parse_weeks(text: str, weeks: int) -> None:
    assert parse_weeks(text) == weeks


@pytest.mark.parametrize("text", ["0", "53w", "abc", "4d", "-1", "4w please", "1.5"])
def test_parse_weeks_refuses(text: str) -> None:
    assert parse_weeks(text) is None


# --- suggestions: the first rule that fits wins ----------------------------------------------


@pytest.fixture
def base(db: Database) -> Summary:
    seed.seeded_week(db)
    return summary_of(db)


def with_(summary: Summary, **changes: object) -> Summary:
    return dataclasses.replace(summary, **changes)  # type: ignore[arg-type]


def test_suggestion_rules(base: Summary) -> None:
    assert "repair you planned" in suggestion(base)
    s = with_(base, repairs_followed=2)
    assert suggestion(s).startswith("“Mind reading” came up more than once")
    s = with_(s, traps=Themes((("Mind reading", 1),)))
    assert suggestion(s).startswith("“Partner” came up in 2 of your trigger logs.")
    s = with_(s, people=Themes((("Partner", 1), ("Mum", 1))), commitments_kept=2)
    assert suggestion(s).startswith("Commitments were hard to keep")
    s = with_(s, commitments_made=0, commitments_kept=0)
    assert suggestion(s).startswith("You could pick one small commitment")
    s = with_(s, commitments_made=1, done={"morning": 6, "evening": 2})
    assert suggestion(s).startswith("Evenings were quieter")
    s = with_(s, done={"morning": 6, "evening": 5}, intensity=7.5)
    assert suggestion(s).startswith("It was an intense week")
    s = with_(s, intensity=4.0)
    assert (
        suggestion(s)
        == "You've shown up 13 days in a row. Keep it gentle: one check-in a day is plenty."
    )
    s = with_(s, streak=Streaks(1, 20))
    assert suggestion(s).startswith("Notice one moment")


def test_intensity_directions(base: Summary) -> None:
    same = render(with_(base, intensity=6.2))
    assert "Average intensity: 6.2 of 10, about the same as the week before (6.5)" in same
    higher = render(with_(base, intensity=7.5))
    assert "Average intensity: 7.5 of 10, higher than the week before (6.5)" in higher
    first = render(with_(base, previous_intensity=None))
    assert "Average intensity: 4.6 of 10\n" in first


def test_typed_names_are_kept_but_shortened(db: Database) -> None:
    seed.user(db, 1001)
    long_name = "My  colleague from the " + "very " * 20 + "big office"
    seed.trigger(db, 1001, seed.WEEK_START, person=long_name, context="at the gym")
    seed.trigger(db, 1001, seed.WEEK_START, person="partner", context="At the gym ")
    text = render(summary_of(db))
    assert "• Who came up: My colleague from the very very very ve…, Partner" in text
    assert "• Where: At the gym (2)" in text
    assert "streak" not in text  # never had one: no "0 days"


def test_never_shames(base: Summary) -> None:
    quiet = with_(base, done={"morning": 0, "evening": 0}, streak=Streaks(0, 20))
    text = render(quiet).lower()
    for word in ("missed", "failed", "only", "should have", "broke"):
        assert word not in text


def test_thought_records_and_repairs_started_are_in_the_summary(db: Database) -> None:
    """Drafts with an answer are "started", beside the finished ones (issue 24)."""
    seed.user(db, 1001)
    mon, tue = seed.WEEK_START, seed.WEEK_START + timedelta(days=1)
    seed.trigger(db, 1001, tue, status="closed", step="situation", person=None, context=None)
    seed.repair(db, 1001, tue, status="draft", person="Sam", step="person")
    text = render(summary_of(db))
    assert "Triggers: 1 started\n" in text and "Repairs: 1 started" in text
    assert "quiet week" not in text

    seed.trigger(db, 1001, mon)
    seed.repair(db, 1001, mon, outcome="happened")
    text = render(summary_of(db))
    assert "Triggers logged: 1, and 1 more started\n" in text
    assert "Repairs: 1 planned, 1 followed up — happened: 1; 1 more started" in text

"""Streak rules over hand-built calendars stored in the database, on SQLite and PostgreSQL.

The streaks come from SQL (runs of consecutive days, see bot/store/summary.py); a randomised
check compares them with the pure reference in bot/services/streaks.py.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.services.streaks import (
    CommitmentOutcome,
    Streaks,
    commitment_streak,
    compute_streaks,
    merge_day_kinds,
)
from bot.services.summary import streaks_for
from bot.store import users
from bot.store.db import Database
from tests import seed

MONDAY = date(2026, 3, 2)


def local_noon(day: date, zone: str = "Europe/Berlin") -> datetime:
    return seed.at_local(day, time(12, 0), zone)


def streaks_on(db: Database, pattern: str, *, now_day_offset: int = 0, user_id: int = 1) -> Streaks:
    """Store ``pattern`` from MONDAY; ask at local noon of its last day (+ offset)."""
    seed.user(db, user_id)
    last = seed.calendar(db, user_id, MONDAY, pattern)
    user = users.get(db, user_id)
    assert user is not None
    return streaks_for(db, user, local_noon(last + timedelta(days=now_day_offset)))[0]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", Streaks(0, 0)),
        ("DDD", Streaks(3, 3)),
        ("BBB", Streaks(3, 3)),  # two check-ins a day still count one day
        ("EDE", Streaks(3, 3)),  # an evening alone counts
        ("DD.DDD", Streaks(3, 3)),  # a day with nothing breaks
        ("DDD.D", Streaks(1, 3)),
        ("DDSDD", Streaks(4, 4)),  # "Skip today" neither breaks nor extends
        ("DDPPPDD", Streaks(4, 4)),  # paused days likewise
        ("SSDD", Streaks(2, 2)),
        ("DDS", Streaks(2, 2)),  # resting today
        ("DDCDD", Streaks(2, 2)),  # prompts left unanswered break
        ("DDdDD", Streaks(2, 2)),  # an unfinished draft is not a completed check-in
        ("DDDDD..DD", Streaks(2, 5)),
    ],
)
def test_calendar(any_db: Database, pattern: str, expected: Streaks) -> None:
    if not pattern:
        seed.user(any_db, 1)
        user = users.get(any_db, 1)
        assert user is not None
        assert streaks_for(any_db, user, local_noon(MONDAY))[0] == expected
        return
    assert streaks_on(any_db, pattern) == expected


def test_today_not_answered_yet_does_not_break(any_db: Database) -> None:
    # Last stored day is yesterday: today is still open.
    assert streaks_on(any_db, "DDD", now_day_offset=1) == Streaks(3, 3)


def test_today_left_unanswered_so_far_does_not_break(any_db: Database) -> None:
    seed.user(any_db, 1)
    seed.calendar(any_db, 1, MONDAY, "DDD")
    seed.checkin(any_db, 1, MONDAY + timedelta(days=3), "morning", "closed")
    user = users.get(any_db, 1)
    assert user is not None
    assert streaks_for(any_db, user, local_noon(MONDAY + timedelta(days=3)))[0] == Streaks(3, 3)


def test_yesterday_missed_ends_the_current_streak(any_db: Database) -> None:
    assert streaks_on(any_db, "DDD", now_day_offset=2) == Streaks(0, 3)


def test_future_dates_are_ignored(any_db: Database) -> None:
    seed.user(any_db, 1)
    seed.calendar(any_db, 1, MONDAY, "DDDDDD")
    user = users.get(any_db, 1)
    assert user is not None
    assert streaks_for(any_db, user, local_noon(MONDAY + timedelta(days=1)))[0] == Streaks(2, 2)


def test_other_users_do_not_count(any_db: Database) -> None:
    seed.user(any_db, 2)
    seed.calendar(any_db, 2, MONDAY, "DDDDDDDDDD")
    assert streaks_on(any_db, "DD.D") == Streaks(1, 2)


def test_dst_week_days_follow_local_midnight(any_db: Database) -> None:
    """Berlin springs forward on Sunday 29 March 2026 (a 23-hour day)."""
    seed.user(any_db, 1)
    start = date(2026, 3, 23)
    for offset in range(7):
        day = start + timedelta(days=offset)
        # Late evening check-ins: 23:30 local, the hour where UTC and local dates differ.
        at = seed.at_local(day, time(23, 30), "Europe/Berlin")
        seed.checkin(any_db, 1, day, "evening", at=at)
    user = users.get(any_db, 1)
    assert user is not None
    # Monday 30 March, 00:30 CEST = Sunday 22:30 UTC: today (Monday) is still open.
    monday_early = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)
    assert streaks_for(any_db, user, monday_early)[0] == Streaks(7, 7)
    # Tuesday 31 March, 00:30 CEST = Monday 22:30 UTC: Monday passed with nothing.
    tuesday_early = datetime(2026, 3, 30, 22, 30, tzinfo=UTC)
    assert streaks_for(any_db, user, tuesday_early)[0] == Streaks(0, 7)


def test_timezone_change_mid_week(any_db: Database) -> None:
    """Berlin Monday to Wednesday, then New York: stored local dates stay as lived, and
    "today" follows the zone the user has now."""
    seed.user(any_db, 1)
    for offset in range(3):
        seed.checkin(any_db, 1, MONDAY + timedelta(days=offset), "evening")
    for offset in range(3, 6):  # Thursday to Saturday in New York
        seed.checkin(any_db, 1, MONDAY + timedelta(days=offset), "morning", zone="America/New_York")
    users.update_fields(any_db, 1, local_noon(MONDAY), timezone="America/New_York")
    user = users.get(any_db, 1)
    assert user is not None
    # Sunday 8 March 20:00 in New York = Monday 01:00 UTC: Sunday is still open there.
    sunday_evening = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    assert streaks_for(any_db, user, sunday_evening)[0] == Streaks(6, 6)


def test_year_boundary(any_db: Database) -> None:
    seed.user(any_db, 1)
    seed.calendar(any_db, 1, date(2026, 12, 28), "DDDSPDD")  # rest on 31 Dec, paused 1 Jan
    user = users.get(any_db, 1)
    assert user is not None
    assert streaks_for(any_db, user, local_noon(date(2027, 1, 3)))[0] == Streaks(5, 5)
    assert streaks_for(any_db, user, local_noon(date(2027, 1, 4)))[0] == Streaks(5, 5)


def test_commitment_streak(any_db: Database) -> None:
    seed.user(any_db, 1)
    outcomes = ["yes", "yes", "partly", None, "yes", "no", "yes", "yes"]
    for offset, outcome in enumerate(outcomes):
        seed.commitment(any_db, 1, MONDAY + timedelta(days=offset), outcome)
    seed.commitment(any_db, 1, MONDAY + timedelta(days=12), "yes")  # a gap is neutral
    user = users.get(any_db, 1)
    assert user is not None
    today = MONDAY + timedelta(days=12)
    assert streaks_for(any_db, user, local_noon(today))[1] == Streaks(3, 3)
    assert streaks_for(any_db, user, local_noon(MONDAY + timedelta(days=5)))[1] == Streaks(0, 3)


def test_sql_streaks_match_the_reference(any_db: Database) -> None:
    """Random calendars: the SQL runs agree with compute_streaks / commitment_streak."""
    rng = random.Random(20260302)
    codes = "DDDBESPC.d"
    for user_id in range(1, 31):
        pattern = "".join(rng.choice(codes) for _ in range(rng.randint(1, 40)))
        outcomes = [rng.choice(["yes", "partly", "no", None, "skip"]) for _ in pattern]
        seed.user(any_db, user_id)
        last = seed.calendar(any_db, user_id, MONDAY, pattern)
        seed.commitments(
            any_db,
            user_id,
            {
                MONDAY + timedelta(days=offset): outcome
                for offset, outcome in enumerate(outcomes)
                if outcome != "skip"
            },
        )
        today = last + timedelta(days=rng.choice([0, 0, 1, 2]))
        days = [MONDAY + timedelta(days=i) for i in range(len(pattern))]
        reference = compute_streaks(
            merge_day_kinds(
                done_dates=[d for d, c in zip(days, pattern, strict=True) if c in "DBE"],
                rest_dates=[d for d, c in zip(days, pattern, strict=True) if c in "SP"],
            ),
            today,
        )
        kept = commitment_streak(
            {
                d: CommitmentOutcome.from_answer(o)
                for d, o in zip(days, outcomes, strict=True)
                if o != "skip"
            },
            today,
        )
        user = users.get(any_db, user_id)
        assert user is not None
        got = streaks_for(any_db, user, local_noon(today))
        assert got == (reference, kept), (pattern, outcomes, today)

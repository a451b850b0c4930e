"""Streak rules over hand-built calendars, plus property tests against a day-by-day reference."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.services.streaks import (
    CommitmentOutcome,
    DayKind,
    Streaks,
    commitment_streak,
    compute_streaks,
    merge_day_kinds,
)

D, R, N = DayKind.DONE, DayKind.REST, DayKind.NONE
_CODES = {"D": D, "R": R, "N": N}


def cal(start: date, pattern: str) -> tuple[dict[date, DayKind], date]:
    """``"DDR.D"``: D done, R rest, N explicit none, "." absent. Today is the last character."""
    days = {start + timedelta(days=i): _CODES[c] for i, c in enumerate(pattern) if c != "."}
    return days, start + timedelta(days=len(pattern) - 1)


def streaks(pattern: str, start: date = date(2026, 3, 2)) -> Streaks:
    days, today = cal(start, pattern)
    return compute_streaks(days, today)


# --- check-in streak ---------------------------------------------------------------------------


def test_empty() -> None:
    assert compute_streaks({}, date(2026, 3, 2)) == Streaks(current=0, best=0)


def test_run_ending_today() -> None:
    assert streaks("DDD") == Streaks(3, 3)


def test_today_unanswered_keeps_yesterdays_streak() -> None:
    assert streaks("DDD.") == Streaks(3, 3)
    assert streaks("DDDN") == Streaks(3, 3)  # explicit NONE today is still "pending"


def test_today_answered_extends() -> None:
    assert streaks("DDDD") == Streaks(4, 4)


def test_gap_breaks() -> None:
    assert streaks("DD.D") == Streaks(1, 2)
    assert streaks("DDND") == Streaks(1, 2)


def test_yesterday_missed_ends_current_streak() -> None:
    assert streaks("DDD..") == Streaks(0, 3)
    assert streaks("DDDN.") == Streaks(0, 3)


def test_rest_days_inside_a_run_neither_break_nor_extend() -> None:
    assert streaks("DDRRD") == Streaks(3, 3)
    assert streaks("DRDRD") == Streaks(3, 3)


def test_rest_today_and_yesterday_keep_streak() -> None:
    assert streaks("DDR") == Streaks(2, 2)
    assert streaks("DDRR") == Streaks(2, 2)
    assert streaks("DDRR.") == Streaks(2, 2)


def test_only_rest_days() -> None:
    assert streaks("RRR") == Streaks(0, 0)


def test_paused_week_does_not_break() -> None:
    start = date(2026, 3, 2)
    done = [start + timedelta(days=i) for i in range(3)]  # Mon-Wed
    pause = (start + timedelta(days=3), start + timedelta(days=9))  # Thu-next Wed
    done.append(start + timedelta(days=10))
    days = merge_day_kinds(done, [], [pause])
    assert compute_streaks(days, start + timedelta(days=10)) == Streaks(4, 4)
    # Still inside the pause: nothing is lost.
    assert compute_streaks(days, start + timedelta(days=6)) == Streaks(3, 3)


def test_best_greater_than_current() -> None:
    assert streaks("DDDDD..DD") == Streaks(2, 5)
    assert streaks("DDDDD.D.DD.") == Streaks(2, 5)


def test_year_boundary() -> None:
    days, today = cal(date(2025, 12, 30), "DDRD")  # Dec 30, Dec 31, Jan 1 rest, Jan 2
    assert today == date(2026, 1, 2)
    assert compute_streaks(days, today) == Streaks(3, 3)
    days, today = cal(date(2025, 12, 30), "DD.D")
    assert compute_streaks(days, today) == Streaks(1, 2)


def test_leap_day() -> None:
    days, today = cal(date(2024, 2, 27), "DDDD")  # Feb 27, 28, 29, Mar 1
    assert date(2024, 2, 29) in days
    assert compute_streaks(days, today) == Streaks(4, 4)
    # Without Feb 29 the run breaks: it is a real day.
    del days[date(2024, 2, 29)]
    assert compute_streaks(days, today) == Streaks(1, 2)


def test_dst_change_dates_are_plain_consecutive_dates() -> None:
    tz = ZoneInfo("Europe/Berlin")  # clocks go forward on 2026-03-29
    local_days = [
        datetime(2026, 3, 27, 12, tzinfo=tz) + timedelta(days=i) for i in range(4)
    ]  # fmt: skip
    dates = [d.date() for d in local_days]
    assert dates == [date(2026, 3, 27) + timedelta(days=i) for i in range(4)]
    assert compute_streaks(dict.fromkeys(dates, D), dates[-1]) == Streaks(4, 4)


def test_future_entries_are_ignored() -> None:
    days, _ = cal(date(2026, 3, 2), "DDDDD")
    assert compute_streaks(days, date(2026, 3, 3)) == Streaks(2, 2)


def test_accepts_plain_strings() -> None:
    assert compute_streaks({date(2026, 3, 2): "done"}, date(2026, 3, 2)) == Streaks(1, 1)  # type: ignore[dict-item]


def test_years_of_data_is_fast_and_correct() -> None:
    start = date(2000, 1, 1)
    days = {start + timedelta(days=i): (R if i % 7 == 6 else D) for i in range(365 * 30)}
    today = start + timedelta(days=365 * 30 - 1)
    days[start + timedelta(days=1000)] = N
    result = compute_streaks(days, today)
    expected = sum(1 for d, k in days.items() if d > start + timedelta(days=1000) and k is D)
    assert result.current == expected
    assert result.best == expected


# --- merge_day_kinds ---------------------------------------------------------------------------


def test_merge_done_wins_over_rest_and_pause() -> None:
    a, b, c = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
    kinds = merge_day_kinds([a, b], [b, c], [(a, c)])
    assert kinds == {a: D, b: D, c: R}


def test_merge_pause_range_inclusive_and_empty_range() -> None:
    a = date(2026, 2, 27)
    kinds = merge_day_kinds([], [], [(a, date(2026, 3, 1)), (date(2026, 3, 5), date(2026, 3, 4))])
    assert kinds == {date(2026, 2, 27): R, date(2026, 2, 28): R, date(2026, 3, 1): R}


def test_merge_empty() -> None:
    assert merge_day_kinds([], [], []) == {}


# --- commitment streak -------------------------------------------------------------------------

K, P, X, Z = (
    CommitmentOutcome.KEPT,
    CommitmentOutcome.PARTLY,
    CommitmentOutcome.NOT_KEPT,
    CommitmentOutcome.NONE,
)


def commitments(outcomes: list[CommitmentOutcome | None]) -> Streaks:
    start = date(2026, 3, 2)
    days = {start + timedelta(days=i): o for i, o in enumerate(outcomes) if o is not None}
    return commitment_streak(days, start + timedelta(days=len(outcomes) - 1))


def test_commitment_kept_run() -> None:
    assert commitments([K, K, K]) == Streaks(3, 3)


def test_commitment_partly_and_none_neither_break_nor_extend() -> None:
    assert commitments([K, P, K, Z, None, K]) == Streaks(3, 3)


def test_commitment_not_kept_breaks() -> None:
    assert commitments([K, K, X, K]) == Streaks(1, 2)
    assert commitments([K, K, K, X]) == Streaks(0, 3)


def test_commitment_today_pending_does_not_break() -> None:
    assert commitments([K, K, None]) == Streaks(2, 2)
    assert commitments([K, K, Z]) == Streaks(2, 2)


def test_commitment_from_answer() -> None:
    assert CommitmentOutcome.from_answer("yes") is K
    assert CommitmentOutcome.from_answer("partly") is P
    assert CommitmentOutcome.from_answer("No") is X
    assert CommitmentOutcome.from_answer("none") is Z
    assert CommitmentOutcome.from_answer(None) is Z
    assert CommitmentOutcome.from_answer("not_kept") is X
    assert CommitmentOutcome.from_answer("whatever") is Z


def test_commitment_empty() -> None:
    assert commitment_streak({}, date(2026, 3, 2)) == Streaks(0, 0)


# --- properties --------------------------------------------------------------------------------


def reference(days: dict[date, DayKind], today: date) -> Streaks:
    """Day-by-day walk over every calendar date: slow, obviously correct."""
    if not days:
        return Streaks(0, 0)
    run = best = 0
    day = min(days)
    while day <= today:
        kind = days.get(day, N)
        if kind is D:
            run += 1
            best = max(best, run)
        elif kind is N and day != today:
            run = 0
        day += timedelta(days=1)
    return Streaks(run, best)


calendars = st.dictionaries(
    st.dates(min_value=date(2023, 12, 1), max_value=date(2024, 3, 31)),
    st.sampled_from(list(DayKind)),
    max_size=80,
)
todays = st.dates(min_value=date(2023, 11, 25), max_value=date(2024, 4, 5))


@given(calendars, todays)
def test_best_ge_current_ge_zero_and_current_le_done(
    days: dict[date, DayKind], today: date
) -> None:
    result = compute_streaks(days, today)
    assert result.best >= result.current >= 0
    assert result.current <= sum(1 for k in days.values() if k is D)


@given(calendars, todays)
def test_matches_day_by_day_reference(days: dict[date, DayKind], today: date) -> None:
    assert compute_streaks(days, today) == reference(days, today)


@given(
    st.dictionaries(
        st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 3, 31)),
        st.sampled_from(list(CommitmentOutcome)),
        max_size=60,
    ),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 4, 5)),
)
def test_commitment_properties(days: dict[date, CommitmentOutcome], today: date) -> None:
    result = commitment_streak(days, today)
    assert result.best >= result.current >= 0
    assert result.current <= sum(1 for d, o in days.items() if o is K and d <= today)

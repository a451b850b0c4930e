"""Streaks over local calendar dates.

Pure: no I/O, no clock. Callers pass local ``date`` objects (already converted from the user's
timezone, so DST and timezone changes are their concern) and ``today``.

Tone (see CONTENT.md): a rest day or a paused day never breaks a streak, and today never breaks
it before the user has had a chance to answer.

Each calculation sorts the mapping once and scans it once: O(n log n) in the number of entries,
independent of how many calendar days the data spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum, StrEnum


class DayKind(StrEnum):
    """What a local day looks like for the check-in streak."""

    DONE = "done"  # at least one check-in with an answer that day (finished or not)
    REST = "rest"  # "Skip today" or paused, and nothing done: neither breaks nor extends
    NONE = "none"  # nothing at all: breaks the streak (except today, still pending)


class CommitmentOutcome(StrEnum):
    """How the morning commitment went, as answered in the evening."""

    KEPT = "kept"  # extends
    PARTLY = "partly"  # neither breaks nor extends
    NOT_KEPT = "not_kept"  # breaks
    NONE = "none"  # no commitment made that day: neither breaks nor extends

    @classmethod
    def from_answer(cls, answer: str | None) -> CommitmentOutcome:
        """Map a stored answer (``yes | partly | no | none``, or an enum value) to an outcome.

        ``None`` (not answered yet) and unknown values are NONE: they never break a streak.
        """
        if answer is None:
            return cls.NONE
        key = answer.strip().lower()
        if key in _ANSWERS:
            return _ANSWERS[key]
        try:
            return cls(key)
        except ValueError:
            return cls.NONE


@dataclass(frozen=True, slots=True)
class Streaks:
    current: int = 0
    best: int = 0


class _Effect(Enum):
    COUNT = "count"
    NEUTRAL = "neutral"
    BREAK = "break"


_ONE_DAY = timedelta(days=1)

_ANSWERS: dict[str, CommitmentOutcome] = {
    "yes": CommitmentOutcome.KEPT,
    "partly": CommitmentOutcome.PARTLY,
    "no": CommitmentOutcome.NOT_KEPT,
}

_DAY_EFFECT: dict[DayKind, _Effect] = {
    DayKind.DONE: _Effect.COUNT,
    DayKind.REST: _Effect.NEUTRAL,
    DayKind.NONE: _Effect.BREAK,
}

_COMMITMENT_EFFECT: dict[CommitmentOutcome, _Effect] = {
    CommitmentOutcome.KEPT: _Effect.COUNT,
    CommitmentOutcome.PARTLY: _Effect.NEUTRAL,
    CommitmentOutcome.NOT_KEPT: _Effect.BREAK,
    CommitmentOutcome.NONE: _Effect.NEUTRAL,
}


def _scan(
    effects: Iterable[tuple[date, _Effect]],
    today: date,
    *,
    missing_breaks: bool,
    today_break_pending: bool,
) -> Streaks:
    """One pass over date-sorted effects up to ``today``.

    ``missing_breaks``: a date absent between two entries (or between the last entry and
    yesterday) breaks the run. ``today_break_pending``: a BREAK on ``today`` itself is treated as
    "not answered yet" and ignored.
    """
    run = best = 0
    last: date | None = None
    for day, effect in effects:
        if day > today:
            break
        if missing_breaks and last is not None and day - last > _ONE_DAY:
            run = 0
        last = day
        if effect is _Effect.COUNT:
            run += 1
            best = max(best, run)
        elif effect is _Effect.BREAK and not (today_break_pending and day == today):
            run = 0
    if missing_breaks and (last is None or today - last > _ONE_DAY):
        # Nothing recorded yesterday (or ever): the run ended before today's pending day.
        run = 0
    return Streaks(current=run, best=best)


def compute_streaks(days: Mapping[date, DayKind], today: date) -> Streaks:
    """Current and best check-in streaks.

    DONE days count; REST days are skipped over; a NONE day (or a date missing from ``days``)
    breaks the run, except ``today`` while it is not done yet. The current streak is the run
    ending today, or yesterday if today is still open. Dates after ``today`` are ignored.
    """
    entries = sorted((day, _DAY_EFFECT[DayKind(kind)]) for day, kind in days.items())
    return _scan(entries, today, missing_breaks=True, today_break_pending=True)


def commitment_streak(days: Mapping[date, CommitmentOutcome], today: date) -> Streaks:
    """Current and best runs of kept commitments.

    KEPT extends; PARTLY and NONE (no commitment that day, also any date missing from ``days``)
    neither break nor extend; NOT_KEPT breaks. Today still pending is simply absent or NONE, so it
    never breaks. Dates after ``today`` are ignored.
    """
    entries = sorted(
        (day, _COMMITMENT_EFFECT[CommitmentOutcome(outcome)]) for day, outcome in days.items()
    )
    return _scan(entries, today, missing_breaks=False, today_break_pending=False)


def merge_day_kinds(
    done_dates: Iterable[date],
    rest_dates: Iterable[date] = (),
    paused_ranges: Iterable[tuple[date, date]] = (),
) -> dict[date, DayKind]:
    """Build the ``days`` mapping for :func:`compute_streaks`.

    ``rest_dates`` are days skipped with "Skip today"; ``paused_ranges`` are ``(start, end)``
    pairs, both inclusive (a range with ``end < start`` is empty). A DONE day always wins over
    rest or pause. Days not returned are NONE.
    """
    kinds: dict[date, DayKind] = {}
    for start, end in paused_ranges:
        for offset in range((end - start).days + 1):
            kinds[start + timedelta(days=offset)] = DayKind.REST
    for day in rest_dates:
        kinds[day] = DayKind.REST
    for day in done_dates:
        kinds[day] = DayKind.DONE
    return kinds

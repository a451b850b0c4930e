"""The weekly summary: streaks, check-ins done, emotions, triggers, repairs, commitments.

``build_summary`` asks the store for aggregates of one period (the last ``weeks`` x 7 local days
up to today, in the user's timezone) and turns them into a ``Summary``; rendering the text is in
``summary_text``. No clock: callers pass ``now`` (aware UTC).

A check-in with one answer is done, finished or not (``partly`` counts the unfinished ones);
thought records and repair plans answered in part are "started" (CONTENT.md).

Check-ins "possible": a (day, morning|evening) slot counts once its local time has passed since
the user was onboarded, unless the day was a rest day ("Skip today", paused) — and it always
counts when it was done. So a summary sent Sunday 19:00 does not count Sunday's evening yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.charts import ChartDay
from bot.content import i18n
from bot.models import User
from bot.services import vocab
from bot.services.profile import local_today, zone_for_safe
from bot.services.streaks import Streaks
from bot.store import summary as store
from bot.store import users
from bot.store.db import Database

MAX_WEEKS = 52
TOP_EMOTIONS = 3
TOP_THEMES = 3
MAX_THEME_CHARS = 40  # a typed name or place, shortened inside the summary's lists
DAILY_CHART_MAX_DAYS = 28  # longer periods are charted one point per week

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive: today
    weeks: int

    @property
    def previous(self) -> tuple[date, date]:
        length = self.end - self.start + _DAY
        return self.start - length, self.start - _DAY

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True, slots=True)
class Themes:
    """Labelled counts, most frequent first."""

    items: tuple[tuple[str, int], ...] = ()

    def top(self, n: int) -> tuple[tuple[str, int], ...]:
        return self.items[:n]

    def recurring(self) -> tuple[str, int] | None:
        """The most frequent item if it came up more than once."""
        return self.items[0] if self.items and self.items[0][1] > 1 else None


@dataclass(frozen=True, slots=True)
class Summary:
    period: Period
    empty: bool
    streak: Streaks
    commitment_streak: Streaks
    done: dict[str, int]  # per kind: with at least one answer
    possible: dict[str, int]
    partly: int  # of the done, how many were left unfinished
    emotions: Themes
    intensity: float | None
    previous_intensity: float | None
    triggers: int
    triggers_started: int
    people: Themes
    contexts: Themes
    traps: Themes
    trigger_before: float | None
    trigger_after: float | None
    repairs_planned: int
    repairs_started: int
    repairs_followed: int
    repair_outcomes: tuple[tuple[str, int], ...]
    commitments_made: int
    commitments_kept: int
    commitments_partly: int
    chart: tuple[ChartDay, ...]


def period_for(today: date, weeks: int = 1) -> Period:
    """The last ``weeks`` x 7 days ending today (1 to 52 weeks)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be 1..{MAX_WEEKS}, got {weeks}")
    return Period(today - timedelta(days=7 * weeks - 1), today, weeks)


# --- streaks --------------------------------------------------------------------------------


def checkin_streaks(islands: Iterable[store.Island], today: date) -> Streaks:
    """Best = the most counted days in one run; current = the run reaching yesterday or today
    (today still unanswered does not break it)."""
    best = current = 0
    for island in islands:
        best = max(best, island.done)
        if island.last >= today - _DAY:
            current = island.done
    return Streaks(current=current, best=best)


def commitment_streaks(runs: Sequence[int]) -> Streaks:
    """Runs of kept commitments, oldest first; the last run is the current one."""
    return Streaks(current=runs[-1] if runs else 0, best=max(runs, default=0))


def streaks_for(db: Database, user: User, now: datetime) -> tuple[Streaks, Streaks]:
    """(check-in streak, commitment streak) as of ``now`` in the user's timezone."""
    today = local_today(user, now)
    islands, runs = store.streak_data(db, user.id, today)
    return checkin_streaks(islands, today), commitment_streaks(runs)


# --- labels ---------------------------------------------------------------------------------


def _label(kind: str, value: str) -> str | None:
    """A vocabulary id's label; typed text (a name, a place) stays the user's own words."""
    try:
        if kind == "emotion":  # inside a sentence: "you felt anxious, calm"
            return i18n.inline(vocab.emotion_label(value))
        if kind == "trap":
            return vocab.distortion(value).label
        return vocab.option(kind, value).label
    except KeyError:
        if kind in ("emotion", "trap"):
            return None
        typed = " ".join(value.split())
        return typed if len(typed) <= MAX_THEME_CHARS else typed[: MAX_THEME_CHARS - 1] + "…"


def themes(kind: str, counts: Iterable[tuple[str, int]]) -> Themes:
    """Label and merge counts (case-insensitively for typed text), most frequent first."""
    spellings: dict[str, dict[str, int]] = {}
    for value, n in counts:
        label = _label(kind, value)
        if label is None:
            continue
        seen = spellings.setdefault(label.casefold(), {})
        seen[label] = seen.get(label, 0) + n
    merged = [
        # The most used spelling names the theme (ties: alphabetical, so stable everywhere).
        (min(seen, key=lambda spelling: (-seen[spelling], spelling)), sum(seen.values()))
        for seen in spellings.values()
    ]
    return Themes(tuple(sorted(merged, key=lambda item: (-item[1], item[0].casefold()))))


# --- check-ins per slot ---------------------------------------------------------------------


def _clock(hhmm: str, default: time) -> time:
    try:
        hours, minutes = hhmm.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class _Slot:
    done: bool
    partly: bool  # done, but not finished
    possible: bool
    intensity: float | None


def _slots(
    user: User, period: Period, rows: Iterable[store.CheckinDay], now: datetime
) -> list[tuple[date, _Slot, _Slot]]:
    """Each day of the period with its morning and evening: done, possible (see the module
    docstring) and the average intensity."""
    by_slot = {(r.day, r.kind): r for r in rows}
    zone = zone_for_safe(user.timezone)
    since = user.onboarded_at or user.created_at
    clocks = {
        "morning": _clock(user.morning_time, time(8, 0)),
        "evening": _clock(user.evening_time, time(21, 0)),
    }
    days: list[tuple[date, _Slot, _Slot]] = []
    for day in period.days():
        morning, evening = by_slot.get((day, "morning")), by_slot.get((day, "evening"))
        day_done = bool((morning and morning.done) or (evening and evening.done))
        rest_day = not day_done and bool((morning and morning.rest) or (evening and evening.rest))
        pair = []
        for kind, row in (("morning", morning), ("evening", evening)):
            done = row is not None and row.done > 0
            partly = done and row is not None and row.finished == 0
            possible = done
            if not done and not rest_day and not (row is not None and row.rest):
                slot = datetime.combine(day, clocks[kind], tzinfo=zone).astimezone(UTC)
                possible = since <= slot <= now
            intensity = row.intensity_sum / row.intensity_n if row and row.intensity_n else None
            pair.append(_Slot(done, partly, possible, intensity))
        days.append((day, pair[0], pair[1]))
    return days


def _chart_days(slots: Sequence[tuple[date, _Slot, _Slot]]) -> list[ChartDay]:
    return [
        ChartDay(
            day,
            morning.intensity,
            evening.intensity,
            morning.done + evening.done,
            morning.possible + evening.possible,
        )
        for day, morning, evening in slots
    ]


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def weekly_buckets(days: Sequence[ChartDay]) -> list[ChartDay]:
    """One point per 7 days (averaged intensities, summed check-ins), for long periods."""
    buckets: list[ChartDay] = []
    for i in range(0, len(days), 7):
        week = days[i : i + 7]
        buckets.append(
            ChartDay(
                week[0].day,
                _mean(d.morning_intensity for d in week),
                _mean(d.evening_intensity for d in week),
                sum(d.checkins_done for d in week),
                sum(d.checkins_possible for d in week),
            )
        )
    return buckets


# --- the summary ----------------------------------------------------------------------------


def build_summary(db: Database, user: User, now: datetime, weeks: int = 1) -> Summary:
    today = local_today(user, now)
    period = period_for(today, weeks)
    got = store.load_period(db, user.id, period.start, period.end, period.previous, today)
    rows = list(got.days)
    slots = _slots(user, period, rows, now)
    chart = _chart_days(slots)
    done = {"morning": sum(m.done for _, m, _ in slots), "evening": sum(e.done for *_, e in slots)}
    possible = {
        "morning": sum(m.possible for _, m, _ in slots),
        "evening": sum(e.possible for *_, e in slots),
    }
    n_intensity = sum(r.intensity_n for r in rows)
    t = got.triggers
    return Summary(
        period=period,
        empty=got.is_empty,
        streak=checkin_streaks(got.checkin_islands, today),
        commitment_streak=commitment_streaks(got.commitment_runs),
        done=done,
        possible=possible,
        partly=sum(m.partly + e.partly for _, m, e in slots),
        emotions=themes("emotion", got.emotions),
        intensity=sum(r.intensity_sum for r in rows) / n_intensity if n_intensity else None,
        previous_intensity=got.previous_intensity,
        triggers=t.logged,
        triggers_started=t.started,
        people=themes("people", t.people),
        contexts=themes("contexts", t.contexts),
        traps=themes("trap", t.distortions),
        trigger_before=t.before_avg,
        trigger_after=t.after_avg,
        repairs_planned=got.repairs.planned,
        repairs_started=got.repairs.started,
        repairs_followed=got.repairs.followed_up,
        repair_outcomes=got.repairs.outcomes,
        commitments_made=got.commitments.made,
        commitments_kept=got.commitments.kept,
        commitments_partly=got.commitments.partly,
        chart=tuple(chart if len(chart) <= DAILY_CHART_MAX_DAYS else weekly_buckets(chart)),
    )


def has_activity(db: Database, user: User, start: date, end: date) -> bool:
    """Anything written between two local dates (inclusive)?"""
    return store.has_activity(db, user.id, start, end)


def mark_requested(db: Database, user: User, now: datetime) -> None:
    """The user just read their week: the sweep won't send it again within the hour."""
    users.mark_summary_requested(db, user.id, now)

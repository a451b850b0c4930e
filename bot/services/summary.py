"""The weekly summary: streaks, check-ins done, emotions, triggers, repairs, commitments.

``build_summary`` asks the store for aggregates of one period (the last ``weeks`` x 7 local days
up to today, in the user's timezone) and turns them into a ``Summary``; rendering the text is in
``summary_text``. No clock: callers pass ``now`` (aware UTC).

A check-in with one answer is done, finished or not (``partly`` counts the unfinished ones);
thought records and repair plans answered in part are "started" (CONTENT.md).

Check-ins "possible" per slot and the chart points: ``summary_slots``. What the features add
(thought records, repair plans, commitments) comes from their ``SummaryPart`` values
(``Parts``, from ``Records.summary``): their figures, and any lines of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from bot.charts import ChartDay
from bot.content import i18n
from bot.models import User
from bot.services import vocab
from bot.services.profile import local_today
from bot.services.streaks import Streaks
from bot.services.summary_slots import chart_days, slots, weekly_buckets
from bot.store import summary as store
from bot.store import users
from bot.store.db import Database
from bot.store.records.checkin import CommitmentStats
from bot.store.records.repair import RepairStats
from bot.store.records.trigger import TriggerStats
from bot.store.summary_sql import SummaryPart

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
    #: Every part's figures by name (``Parts``), and the lines of parts that write their own.
    parts: Mapping[str, Any] = field(default_factory=dict)
    more: tuple[tuple[str, ...], ...] = ()


#: A part's own lines in the summary, from its figures (none: nothing to say).
Lines = Callable[[Any], Sequence[str]]


@dataclass(frozen=True)
class Parts:
    """What the features add to the summary (``Contributions.summary``), in feature order."""

    store: tuple[SummaryPart, ...] = ()
    #: (part name, its lines): shown as blocks of their own before the suggestion.
    lines: tuple[tuple[str, Lines], ...] = ()


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


# --- the summary ----------------------------------------------------------------------------


def build_summary(db: Database, parts: Parts, user: User, now: datetime, weeks: int = 1) -> Summary:
    return summarise(db, parts, user, now, period_for(local_today(user, now), weeks))


def summarise(db: Database, parts: Parts, user: User, now: datetime, period: Period) -> Summary:
    """The summary of any period up to today (/report's overview: chosen dates)."""
    today = local_today(user, now)
    got = store.load_period(
        db, parts.store, user.id, period.start, period.end, period.previous, today
    )
    rows = list(got.days)
    by_slot = slots(user, period, rows, now)
    chart = chart_days(by_slot)
    done = {
        "morning": sum(m.done for _, m, _ in by_slot),
        "evening": sum(e.done for *_, e in by_slot),
    }
    possible = {
        "morning": sum(m.possible for _, m, _ in by_slot),
        "evening": sum(e.possible for *_, e in by_slot),
    }
    n_intensity = sum(r.intensity_n for r in rows)
    # The figures summary_text is written around (typed fields; empty without their feature).
    t: TriggerStats = got.parts.get("triggers", TriggerStats())
    repairs: RepairStats = got.parts.get("repairs", RepairStats())
    commitments: CommitmentStats = got.parts.get("commitments", CommitmentStats())
    figures = _detailed(db, parts, user.id, period, got.parts)
    more = tuple(tuple(lines(figures[name])) for name, lines in parts.lines if name in figures)
    chart = _with_points(chart, parts, figures)
    return Summary(
        period=period,
        empty=got.is_empty,
        streak=checkin_streaks(got.checkin_islands, today),
        commitment_streak=commitment_streaks(got.commitment_runs),
        done=done,
        possible=possible,
        partly=sum(m.partly + e.partly for _, m, e in by_slot),
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
        repairs_planned=repairs.planned,
        repairs_started=repairs.started,
        repairs_followed=repairs.followed_up,
        repair_outcomes=repairs.outcomes,
        commitments_made=commitments.made,
        commitments_kept=commitments.kept,
        commitments_partly=commitments.partly,
        chart=tuple(chart if len(chart) <= DAILY_CHART_MAX_DAYS else weekly_buckets(chart)),
        parts=figures,
        more=tuple(block for block in more if block),
    )


def _detailed(
    db: Database, parts: Parts, user_id: int, period: Period, got: Mapping[str, Any]
) -> dict[str, Any]:
    """Each part's figures, with its second read (``SummaryPart.detail``) where it has one and
    the period holds practice of it."""
    figures = dict(got)
    for part in parts.store:
        if part.detail is not None and part.name in figures and part.practised(figures[part.name]):
            figures[part.name] = part.detail(
                db, user_id, period.start, period.end, figures[part.name]
            )
    return figures


def _with_points(chart: list[ChartDay], parts: Parts, figures: Mapping[str, Any]) -> list[ChartDay]:
    """The chart's days with the parts' own points (a practice's distress afterwards)."""
    points: dict[date, float] = {}
    for part in parts.store:
        if part.chart is not None and part.name in figures:
            points.update(part.chart(figures[part.name]))
    if not points:
        return chart
    return [replace(day, practice=points.get(day.day)) for day in chart]


def has_activity(db: Database, parts: Parts, user: User, start: date, end: date) -> bool:
    """Anything written between two local dates (inclusive)?"""
    return store.has_activity(db, parts.store, user.id, start, end)


def mark_requested(db: Database, user: User, now: datetime) -> None:
    """The user just read their week: the sweep won't send it again within the hour."""
    users.mark_summary_requested(db, user.id, now)

"""SQL aggregation for the weekly summary and streaks: counts and averages, never every row.

Everything is bounded by the period asked for (days x kinds, distinct themes), except the two
streak queries, which scan the user's whole history through the ``(user_id, local_date)``
indexes and return one row per unbroken run of days. Statements live in ``summary_sql`` (built
once per dialect).

Free-text themes (``person``, ``context``) are grouped in SQL and merged again in Python by the
caller: with an encryption cipher installed every stored value is unique, so SQL grouping then
degrades to one row per entry of the period (still bounded by the period) and the merge by
plaintext stays correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy import true as sql_true
from sqlmodel import Session, col

from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.store.checkins import PRACTISED
from bot.store.db import Database
from bot.store.summary_sql import (
    COMPLETED,
    CONTEXT,
    EMOTION,
    PERSON,
    REPAIR_ANSWERED,
    TRAP,
    TRIGGER_ANSWERED,
    statements,
)


@dataclass(frozen=True, slots=True)
class CheckinDay:
    """Check-ins of one local day and kind (morning or evening)."""

    day: date
    kind: str
    done: int  # practised: at least one answer, finished or not (or finished, all skipped)
    finished: int  # of those, completed
    rest: int  # skipped ("Skip today") or paused
    intensity_sum: int
    intensity_n: int


@dataclass(frozen=True, slots=True)
class Island:
    """An unbroken run of recorded days: ``done`` counted days between ``first`` and ``last``."""

    first: date
    last: date
    done: int


@dataclass(frozen=True, slots=True)
class TriggerStats:
    logged: int = 0  # finished
    started: int = 0  # answered in part, not finished
    before_avg: float | None = None
    after_avg: float | None = None
    people: tuple[tuple[str, int], ...] = ()
    contexts: tuple[tuple[str, int], ...] = ()
    distortions: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class RepairStats:
    planned: int = 0  # finished
    started: int = 0  # answered in part, not finished
    followed_up: int = 0
    outcomes: tuple[tuple[str, int], ...] = ()  # happened / not_yet / badly


@dataclass(frozen=True, slots=True)
class CommitmentStats:
    made: int = 0
    kept: int = 0
    partly: int = 0


@dataclass(frozen=True, slots=True)
class PeriodData:
    """Everything the summary needs, from one session."""

    days: tuple[CheckinDay, ...]
    previous_intensity: float | None
    emotions: tuple[tuple[str, int], ...]
    triggers: TriggerStats
    repairs: RepairStats
    commitments: CommitmentStats
    checkin_islands: tuple[Island, ...]
    commitment_runs: tuple[int, ...]  # kept days per run, oldest first; the last is current

    @property
    def is_empty(self) -> bool:
        return (
            not any(d.done for d in self.days)
            and self.triggers.logged + self.triggers.started == 0
            and self.repairs.planned + self.repairs.started == 0
            and self.commitments.made == 0
        )


def _run(s: Session, statement: Any, **params: Any) -> list[Any]:
    """Execute a prebuilt Core statement on the session's connection (result types apply)."""
    return list(s.connection().execute(statement, params))


def _as_date(value: object) -> date:
    """SQLite returns MIN/MAX over a date column as text; PostgreSQL returns a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _islands(s: Session, user_id: int, today: date) -> list[Island]:
    sql = statements(s.get_bind().dialect.name)
    rows = _run(s, sql.islands, user_id=user_id, today=today)
    return [Island(_as_date(a), _as_date(b), int(n)) for a, b, n in rows]


def _runs(s: Session, user_id: int, today: date) -> list[int]:
    sql = statements(s.get_bind().dialect.name)
    return [int(n) for (n,) in _run(s, sql.runs, user_id=user_id, today=today)]


def _counts(rows: list[Any], tag: str) -> tuple[tuple[str, int], ...]:
    found = sorted(((str(v), int(n)) for t, v, n in rows if t == tag and v), key=lambda r: -r[1])
    return tuple(found)


def load_period(
    db: Database,
    user_id: int,
    start: date,
    end: date,
    previous: tuple[date, date] | None,
    today: date,
) -> PeriodData:
    """All aggregates of one summary: six queries in one session.

    ``previous`` is the period before (for the intensity comparison); ``today`` bounds the
    streaks, which read the whole history.
    """
    period = {"user_id": user_id, "start": start, "end": end}
    since = previous[0] if previous is not None else start  # start: an empty "before"
    with db.session() as s:
        sql = statements(s.get_bind().dialect.name)
        days = _run(s, sql.days, **period)
        ids = _run(s, sql.ids, **period)
        themes = _run(s, sql.themes, **period)
        (totals,) = _run(s, sql.totals, since=since, **period)
        islands = _islands(s, user_id, today)
        runs = _runs(s, user_id, today)
    outcomes = (("happened", totals.happened), ("not_yet", totals.not_yet), ("badly", totals.badly))
    return PeriodData(
        days=tuple(
            CheckinDay(_as_date(d), k, int(p), int(f), int(r), int(c), int(n))
            for d, k, p, f, r, c, n in days
        ),
        previous_intensity=_float(totals.previous_intensity),
        emotions=_counts(ids, EMOTION),
        triggers=TriggerStats(
            logged=int(totals.logged),
            started=int(totals.triggers_started),
            before_avg=_float(totals.before),
            after_avg=_float(totals.after),
            people=_counts(themes, PERSON),
            contexts=_counts(themes, CONTEXT),
            distortions=_counts(ids, TRAP),
        )
        if totals.logged or totals.triggers_started
        else TriggerStats(),
        repairs=RepairStats(
            planned=int(totals.planned),
            started=int(totals.repairs_started),
            followed_up=int(totals.followed),
            outcomes=tuple((o, int(n)) for o, n in outcomes if n),
        ),
        commitments=CommitmentStats(int(totals.made), int(totals.kept), int(totals.partly)),
        checkin_islands=tuple(islands),
        commitment_runs=tuple(runs),
    )


def streak_data(db: Database, user_id: int, today: date) -> tuple[list[Island], list[int]]:
    """Runs of recorded check-in days, and kept-commitment runs (oldest first)."""
    with db.session() as s:
        return _islands(s, user_id, today), _runs(s, user_id, today)


def checkin_islands(db: Database, user_id: int, today: date) -> list[Island]:
    """Runs of consecutive days with a practised or rest check-in, up to ``today``."""
    with db.session() as s:
        return _islands(s, user_id, today)


def has_activity(db: Database, user_id: int, start: date, end: date) -> bool:
    """Any practice between two local dates: a check-in, thought record or repair plan with
    an answer (finished or not), or a commitment."""
    answered: tuple[tuple[Any, Any], ...] = (
        (CheckIn, PRACTISED),
        (TriggerEntry, or_(col(TriggerEntry.status) == COMPLETED, TRIGGER_ANSWERED)),
        (RepairPlan, or_(col(RepairPlan.status) == COMPLETED, REPAIR_ANSWERED)),
        (Commitment, sql_true()),
    )
    probes: list[Any] = [
        select(model.id).where(
            model.user_id == user_id, model.local_date.between(start, end), condition
        )
        for model, condition in answered
    ]
    with db.session() as s:
        return any(_run(s, probe.limit(1)) for probe in probes)

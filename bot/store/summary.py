"""SQL aggregation for the weekly summary and streaks: counts and averages, never every row.

Everything here is bounded by the period asked for (days x kinds, distinct themes), except the
two streak queries, which scan the user's whole history through ``(user_id, local_date)``
indexes and return only a handful of rows: one per unbroken run ("island") of days.

Free-text themes (``person``, ``context``) are grouped in SQL and merged again in Python by
the caller: with an encryption cipher installed every stored value is unique, so SQL grouping
then degrades to one row per entry of the period (still bounded by the period) and the merge
by plaintext stays correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, case, cast, func, literal, select, true
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.store.db import Database

COMPLETED = "completed"
REST_STATUSES = ("skipped", "paused")
_ENTRY_MODELS: tuple[Any, ...] = (TriggerEntry, RepairPlan, Commitment)


@dataclass(frozen=True, slots=True)
class CheckinDay:
    """Check-ins of one local day and kind (morning or evening)."""

    day: date
    kind: str
    done: int  # completed check-ins
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
    logged: int = 0
    before_avg: float | None = None
    after_avg: float | None = None
    people: tuple[tuple[str, int], ...] = ()
    contexts: tuple[tuple[str, int], ...] = ()
    distortions: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class RepairStats:
    planned: int = 0
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
            and self.triggers.logged == 0
            and self.repairs.planned == 0
            and self.commitments.made == 0
        )


def _rows(s: Session, query: Executable) -> list[Any]:
    """Run a Core query on the session's connection (result types still apply)."""
    return list(s.connection().execute(query))


def _between(column: Any, start: date, end: date) -> ColumnElement[bool]:
    return col(column).between(start, end)


def _array_elements(s: Session, column: Any) -> Any:
    """A table-valued function expanding a JSON list of ids (``value`` column)."""
    name = "json_each" if s.get_bind().dialect.name == "sqlite" else "json_array_elements_text"
    return getattr(func, name)(column).table_valued("value")


def checkin_days(s: Session, user_id: int, start: date, end: date) -> list[CheckinDay]:
    """Per (local day, kind): completed, rest, and the intensity sum/count of any answered row."""
    done = func.sum(case((col(CheckIn.status) == COMPLETED, 1), else_=0))
    rest = func.sum(case((col(CheckIn.status).in_(REST_STATUSES), 1), else_=0))
    query = (
        select(
            col(CheckIn.local_date),
            col(CheckIn.kind),
            done,
            rest,
            func.coalesce(func.sum(col(CheckIn.intensity)), 0),
            func.count(col(CheckIn.intensity)),
        )
        .where(col(CheckIn.user_id) == user_id, _between(CheckIn.local_date, start, end))
        .group_by(col(CheckIn.local_date), col(CheckIn.kind))
    )
    return [
        CheckinDay(d, k, int(a), int(b), int(c), int(n)) for d, k, a, b, c, n in _rows(s, query)
    ]


def average_intensity(s: Session, user_id: int, start: date, end: date) -> float | None:
    query = select(func.avg(col(CheckIn.intensity))).where(
        col(CheckIn.user_id) == user_id, _between(CheckIn.local_date, start, end)
    )
    value = _rows(s, query)[0][0]
    return None if value is None else float(value)


def _top_ids(s: Session, model: Any, column: Any, user_id: int, start: date, end: date):  # type: ignore[no-untyped-def]
    elements = _array_elements(s, column)
    value = elements.c.value  # type: ignore[attr-defined]
    query = (
        select(value, func.count())
        .select_from(model)
        .join(elements, true())  # the function sees the row: an implicit lateral join
        .where(model.user_id == user_id, _between(model.local_date, start, end))  # type: ignore[attr-defined]
        .group_by(value)
    )
    return [(str(v), int(n)) for v, n in _rows(s, query)]


def emotion_counts(s: Session, user_id: int, start: date, end: date) -> list[tuple[str, int]]:
    """How often each emotion id was named, in check-ins and trigger logs together."""
    counts: dict[str, int] = {}
    for model, column in ((CheckIn, CheckIn.emotions), (TriggerEntry, TriggerEntry.emotions)):
        for value, n in _top_ids(s, model, column, user_id, start, end):
            counts[value] = counts.get(value, 0) + n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _grouped_text(
    s: Session, column: Any, user_id: int, start: date, end: date
) -> tuple[tuple[str, int], ...]:
    query = (
        select(column, func.count())
        .where(
            col(TriggerEntry.user_id) == user_id,
            _between(TriggerEntry.local_date, start, end),
            col(column).is_not(None),  # type: ignore[arg-type]
        )
        .group_by(column)
    )
    return tuple((str(v), int(n)) for v, n in _rows(s, query) if v)


def trigger_stats(s: Session, user_id: int, start: date, end: date) -> TriggerStats:
    where = (col(TriggerEntry.user_id) == user_id, _between(TriggerEntry.local_date, start, end))
    both = (
        col(TriggerEntry.intensity_before).is_not(None),
        col(TriggerEntry.intensity_after).is_not(None),
    )
    logged = _rows(s, select(func.count()).select_from(TriggerEntry).where(*where))[0][0]
    if not logged:
        return TriggerStats()
    averages = select(
        func.avg(col(TriggerEntry.intensity_before)), func.avg(col(TriggerEntry.intensity_after))
    )
    before, after = _rows(s, averages.where(*where, *both))[0]
    return TriggerStats(
        logged=int(logged),
        before_avg=None if before is None else float(before),
        after_avg=None if after is None else float(after),
        people=_grouped_text(s, TriggerEntry.person, user_id, start, end),
        contexts=_grouped_text(s, TriggerEntry.context, user_id, start, end),
        distortions=tuple(_top_ids(s, TriggerEntry, TriggerEntry.distortions, user_id, start, end)),
    )


def repair_stats(s: Session, user_id: int, start: date, end: date) -> RepairStats:
    """Plans completed in the period, and how the follow-ups of those plans went."""
    rows = _rows(
        s,
        select(col(RepairPlan.followup_outcome), func.count())
        .where(
            col(RepairPlan.user_id) == user_id,
            _between(RepairPlan.local_date, start, end),
            col(RepairPlan.status) == COMPLETED,
        )
        .group_by(col(RepairPlan.followup_outcome)),
    )
    planned = sum(int(n) for _, n in rows)
    outcomes = tuple((str(o), int(n)) for o, n in rows if o is not None)
    return RepairStats(planned, sum(n for _, n in outcomes), outcomes)


def commitment_stats(s: Session, user_id: int, start: date, end: date) -> CommitmentStats:
    made, kept, partly = _rows(
        s,
        select(
            func.count(),
            func.coalesce(func.sum(case((col(Commitment.outcome) == "yes", 1), else_=0)), 0),
            func.coalesce(func.sum(case((col(Commitment.outcome) == "partly", 1), else_=0)), 0),
        ).where(col(Commitment.user_id) == user_id, _between(Commitment.local_date, start, end)),
    )[0]
    return CommitmentStats(int(made), int(kept), int(partly))


def _day_number(s: Session, column: Any) -> Any:
    """A whole number per calendar day, consecutive days one apart."""
    if s.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(column), Integer)
    return column - literal(date(2000, 1, 1), Date)


def checkin_islands(s: Session, user_id: int, today: date) -> list[Island]:
    """Runs of consecutive days that have a completed or a rest check-in, up to ``today``.

    Days with only closed or draft check-ins, like days with none, separate runs. Gaps and
    islands: ``day number - row number`` is constant inside a run of consecutive days.
    """
    per_day = (
        select(
            col(CheckIn.local_date).label("day"),
            func.max(case((col(CheckIn.status) == COMPLETED, 1), else_=0)).label("done"),
        )
        .where(
            col(CheckIn.user_id) == user_id,
            col(CheckIn.local_date) <= today,
            col(CheckIn.status).in_((COMPLETED, *REST_STATUSES)),
        )
        .group_by(col(CheckIn.local_date))
        .subquery()
    )
    ordinal = func.row_number().over(order_by=per_day.c.day)
    numbered = select(
        per_day.c.day,
        per_day.c.done,
        (_day_number(s, per_day.c.day) - ordinal).label("run"),
    ).subquery()
    first = func.min(numbered.c.day)
    query = (
        select(first, func.max(numbered.c.day), func.sum(numbered.c.done))
        .group_by(numbered.c.run)
        .order_by(first)
    )
    return [Island(_as_date(a), _as_date(b), int(n)) for a, b, n in _rows(s, query)]


def commitment_runs(s: Session, user_id: int, today: date) -> list[int]:
    """Kept days per run of commitments, oldest run first, up to ``today``.

    A day counts as kept when any commitment that day was kept, and breaks the run when one
    was not kept and none was; partly kept and unanswered days are neutral (not returned).
    A run starts at each not-kept day: ``run = number of not-kept days so far``.
    """
    kept = func.max(case((col(Commitment.outcome) == "yes", 1), else_=0))
    per_day = (
        select(col(Commitment.local_date).label("day"), kept.label("kept"))
        .where(
            col(Commitment.user_id) == user_id,
            col(Commitment.local_date) <= today,
            col(Commitment.outcome).in_(("yes", "no")),
        )
        .group_by(col(Commitment.local_date))
        .subquery()
    )
    broken = case((per_day.c.kept == 0, 1), else_=0)
    numbered = select(
        per_day.c.kept,
        func.sum(broken).over(order_by=per_day.c.day).label("run"),
    ).subquery()
    query = select(func.sum(numbered.c.kept)).group_by(numbered.c.run).order_by(numbered.c.run)
    return [int(n) for (n,) in _rows(s, query)]


def _as_date(value: object) -> date:
    """SQLite returns MIN/MAX over a date column as text; PostgreSQL returns a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_period(
    db: Database,
    user_id: int,
    start: date,
    end: date,
    previous: tuple[date, date] | None,
    today: date,
) -> PeriodData:
    """All aggregates of one summary, in one session (one connection checkout)."""
    with db.session() as s:
        return PeriodData(
            days=tuple(checkin_days(s, user_id, start, end)),
            previous_intensity=(
                average_intensity(s, user_id, *previous) if previous is not None else None
            ),
            emotions=tuple(emotion_counts(s, user_id, start, end)),
            triggers=trigger_stats(s, user_id, start, end),
            repairs=repair_stats(s, user_id, start, end),
            commitments=commitment_stats(s, user_id, start, end),
            checkin_islands=tuple(checkin_islands(s, user_id, today)),
            commitment_runs=tuple(commitment_runs(s, user_id, today)),
        )


def streak_data(db: Database, user_id: int, today: date) -> tuple[list[Island], list[int]]:
    with db.session() as s:
        return checkin_islands(s, user_id, today), commitment_runs(s, user_id, today)


def has_activity(db: Database, user_id: int, start: date, end: date) -> bool:
    """Any check-in answered, trigger, repair plan or commitment between two local dates."""
    probes: list[Any] = [
        select(col(CheckIn.id)).where(
            col(CheckIn.user_id) == user_id,
            _between(CheckIn.local_date, start, end),
            col(CheckIn.status) == COMPLETED,
        ),
        *(
            select(model.id).where(model.user_id == user_id, _between(model.local_date, start, end))
            for model in _ENTRY_MODELS
        ),
    ]
    with db.session() as s:
        return any(_rows(s, probe.limit(1)) for probe in probes)

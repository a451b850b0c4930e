"""SQL aggregation for the weekly summary and streaks: counts and averages, never every row.

The check-in days, streaks and the intensity before are the summary's own; the rest comes from
the features' ``SummaryPart`` values (``bot/store/records/``), whose figures ``PeriodData``
holds by part name (``got.triggers``). Everything is bounded by the period asked for (days x
kinds, distinct themes), except the two streak queries, which scan the user's whole history
through the ``(user_id, local_date)`` indexes and return one row per unbroken run of days.
Statements live in ``summary_sql`` (built once per dialect and list of parts).

Free-text themes (``person``, ``context``) are grouped in SQL and merged again in Python by the
caller: with an encryption cipher installed every stored value is unique, so SQL grouping then
degrades to one row per entry of the period (still bounded by the period) and the merge by
plaintext stays correct.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from bot.store.db import Database
from bot.store.summary_sql import EMOTION, SummaryPart, statements


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


@dataclass(frozen=True)
class PeriodData:
    """Everything the summary needs, from one session."""

    days: tuple[CheckinDay, ...]
    previous_intensity: float | None
    emotions: tuple[tuple[str, int], ...]
    checkin_islands: tuple[Island, ...]
    commitment_runs: tuple[int, ...]  # kept days per run, oldest first; the last is current
    #: Each part's figures by its name (also read as attributes: ``got.triggers``).
    parts: dict[str, Any] = field(default_factory=dict)
    #: Whether any part's figures hold practice.
    practised: bool = False

    def __getattr__(self, name: str) -> Any:
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        raise AttributeError(name)

    @property
    def is_empty(self) -> bool:
        return not any(d.done for d in self.days) and not self.practised


def _run(s: Session, statement: Any, **params: Any) -> list[Any]:
    """Execute a prebuilt Core statement on the session's connection (result types apply)."""
    return list(s.connection().execute(statement, params))


def _as_date(value: object) -> date:
    """SQLite returns MIN/MAX over a date column as text; PostgreSQL returns a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _islands(s: Session, user_id: int, today: date) -> list[Island]:
    sql = statements(s.get_bind().dialect.name, ())
    rows = _run(s, sql.islands, user_id=user_id, today=today)
    return [Island(_as_date(a), _as_date(b), int(n)) for a, b, n in rows]


def _runs(s: Session, user_id: int, today: date) -> list[int]:
    sql = statements(s.get_bind().dialect.name, ())
    return [int(n) for (n,) in _run(s, sql.runs, user_id=user_id, today=today)]


def _counts(rows: list[Any], tag: str) -> tuple[tuple[str, int], ...]:
    found = sorted(((str(v), int(n)) for t, v, n in rows if t == tag and v), key=lambda r: -r[1])
    return tuple(found)


def load_period(
    db: Database,
    parts: Sequence[SummaryPart],
    user_id: int,
    start: date,
    end: date,
    previous: tuple[date, date] | None,
    today: date,
) -> PeriodData:
    """All aggregates of one summary: six queries in one session (fewer when no part counts
    ids or themes).

    ``previous`` is the period before (for the intensity comparison); ``today`` bounds the
    streaks, which read the whole history.
    """
    period = {"user_id": user_id, "start": start, "end": end}
    since = previous[0] if previous is not None else start  # start: an empty "before"
    parts = tuple(parts)
    with db.session() as s:
        sql = statements(s.get_bind().dialect.name, parts)
        days = _run(s, sql.days, **period)
        ids = _run(s, sql.ids, **period) if sql.ids is not None else []
        themes = _run(s, sql.themes, **period) if sql.themes is not None else []
        (totals,) = _run(s, sql.totals, since=since, **period)
        islands = _islands(s, user_id, today)
        runs = _runs(s, user_id, today)
    counted = ids + themes
    figures: dict[str, Any] = {}
    for i, (part, names) in enumerate(zip(parts, sql.totals_columns, strict=True)):
        values = {name: totals._mapping[f"p{i}_{name}"] for name in names}
        figures[part.name] = part.read(values, lambda tag: _counts(counted, tag))
    return PeriodData(
        days=tuple(
            CheckinDay(_as_date(d), k, int(p), int(f), int(r), int(c), int(n))
            for d, k, p, f, r, c, n in days
        ),
        previous_intensity=_float(totals.previous_intensity),
        emotions=_counts(ids, EMOTION),
        checkin_islands=tuple(islands),
        commitment_runs=tuple(runs),
        parts=figures,
        practised=any(part.practised(figures[part.name]) for part in parts),
    )


def streak_data(db: Database, user_id: int, today: date) -> tuple[list[Island], list[int]]:
    """Runs of recorded check-in days, and kept-commitment runs (oldest first)."""
    with db.session() as s:
        return _islands(s, user_id, today), _runs(s, user_id, today)


def checkin_islands(db: Database, user_id: int, today: date) -> list[Island]:
    """Runs of consecutive days with a practised or rest check-in, up to ``today``."""
    with db.session() as s:
        return _islands(s, user_id, today)


def has_activity(
    db: Database, parts: Sequence[SummaryPart], user_id: int, start: date, end: date
) -> bool:
    """Any practice between two local dates: a row some part counts as activity (a
    check-in, thought record or repair plan with an answer, finished or not, or a commitment)."""
    probes: list[Any] = [
        select(model.id).where(
            model.user_id == user_id, model.local_date.between(start, end), condition
        )
        for part in parts
        for model, condition in part.activity
    ]
    with db.session() as s:
        return any(_run(s, probe.limit(1)) for probe in probes)

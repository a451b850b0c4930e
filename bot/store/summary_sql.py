"""The summary's SQL statements, built once per dialect and feature list with bind parameters.

Building a SQLAlchemy statement and its cache key costs about as much as running a small query
on SQLite, so the statements are constructed once (``statements(dialect, parts)``) and executed
with parameters: ``user_id``, ``start``/``end`` (the period), ``since`` (start of the period
before, for the intensity comparison) and ``today`` (streaks).

The check-in days, the streaks and the intensity before are the summary's own; what else it
counts comes from the features' ``SummaryPart`` values (``bot/store/records/``): each adds a
one-row aggregate to the totals query, vocabulary ids and typed themes to the two counting
queries, and its probes to ``has_activity``.

Practice (CONTENT.md): a check-in with at least one answer counts, finished or not
(``checkins.PRACTISED``); so does a thought record or repair plan with an answer, finished
("logged", "planned") or not ("started"). A row nobody answered counts for nothing.

Streaks use gaps and islands: over the days that have a practised or a rest check-in,
``day number - row number`` is constant within a run of consecutive days, so grouping by it
yields one row per run, however long the history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy import true as sql_true
from sqlmodel import col

from bot.models import CheckIn, Commitment
from bot.store.checkins import PRACTISED

COMPLETED = "completed"
REST_STATUSES = ("skipped", "paused")
EMOTION = "e"  # the tag of emotion ids, whichever part counts them (others' tags: their own)

USER = bindparam("user_id", type_=BigInteger)
START = bindparam("start", type_=Date)
END = bindparam("end", type_=Date)
SINCE = bindparam("since", type_=Date)
TODAY = bindparam("today", type_=Date)


#: A tag's counts, most frequent first: ``((value, n), ...)``.
Counts = Callable[[str], tuple[tuple[str, int], ...]]


def _nothing(*_: Any) -> Sequence[Any]:
    return ()


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: a key of ``statements``
class SummaryPart:
    """What one feature adds to the summary's SQL (``Records.summary``)."""

    #: Its name: the key of its figures in ``PeriodData`` (``got.<name>``).
    name: str
    #: A one-row aggregate over the period (a subquery on the bind parameters above).
    totals: Callable[[], Any]
    #: Its figures from the aggregate's values (by column name) and the tag counts.
    read: Callable[[Mapping[str, Any], Counts], Any]
    #: Whether its figures hold any practice (else the period may be "empty").
    practised: Callable[[Any], bool]
    #: (model, condition): a row of it in a period with that condition is activity.
    activity: tuple[tuple[Any, Any], ...] = ()
    #: ``(tag, value)`` selects of vocabulary ids (JSON lists), by dialect (``json_ids``).
    ids: Callable[[str], Sequence[Any]] = _nothing
    #: ``(tag, text)`` selects of typed themes (free text, decrypted on read).
    themes: Callable[[], Sequence[Any]] = _nothing
    #: A second read, in Python, of what SQL cannot group by (labels encrypted at rest):
    #: ``(db, user_id, first, last, figures) -> figures``; called only when they hold practice.
    detail: Callable[[Any, int, date, date, Any], Any] | None = None
    #: Points of its own on the summary's chart: ``figures -> {local date: 0–10}``.
    chart: Callable[[Any], Mapping[date, float]] | None = None


@dataclass(frozen=True)
class Statements:
    days: Any  # (day, kind, practised, completed, rest, intensity sum, count) in the period
    ids: Any  # (tag, vocabulary id, count), or None when no part counts ids
    themes: Any  # (tag, text, count), or None when no part counts themes
    totals: Any  # one row: each part's aggregate (labelled p<i>_<name>), intensity before START
    totals_columns: tuple[tuple[str, ...], ...]  # per part, its aggregate's column names
    islands: Any  # (first day, last day, counted days) per run of recorded days
    runs: Any  # (kept days,) per run of commitments, oldest first


def in_period(model: Any) -> Any:
    return and_(model.user_id == USER, model.local_date.between(START, END))


def count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def started(model: Any, answered: Any) -> Any:
    """Begun and answered in part, but not finished (a draft, or one put aside)."""
    return and_(model.status != COMPLETED, answered)


def _day_number(dialect: str, column: Any) -> Any:
    """A whole number per calendar day, consecutive days one apart."""
    if dialect == "sqlite":
        return cast(func.julianday(column), Integer)
    return column - literal(date(2000, 1, 1), Date)


def json_ids(dialect: str, model: Any, column: Any, tag: str) -> Any:
    """``(tag, value)`` per id in a JSON list column, over the period."""
    name = "json_each" if dialect == "sqlite" else "json_array_elements_text"
    elements = getattr(func, name)(column).table_valued("value")
    return (
        select(literal(tag).label("tag"), elements.c.value.label("value"))
        .select_from(model)
        .join(elements, sql_true())  # the function sees the row: an implicit lateral join
        .where(in_period(model))
    )


def typed(model: Any, column: Any, tag: str) -> Any:
    """``(tag, text)`` per row with the typed column set, over the period."""
    return select(literal(tag).label("tag"), column.label("text")).where(
        in_period(model), column.is_not(None)
    )


def _counted(selects: Sequence[Any], value: str) -> Any:
    if not selects:
        return None
    both = union_all(*selects).subquery()
    column = both.c[value]
    return select(both.c.tag, column, func.count()).group_by(both.c.tag, column)


def _totals(parts: Sequence[SummaryPart]) -> tuple[Any, tuple[tuple[str, ...], ...]]:
    previous = (
        select(func.avg(col(CheckIn.intensity)).label("previous_intensity"))
        .where(
            col(CheckIn.user_id) == USER,
            col(CheckIn.local_date) >= SINCE,
            col(CheckIn.local_date) < START,
        )
        .subquery()
    )
    aggregates = [part.totals() for part in parts]
    # One-row aggregates side by side (joined on true: no cartesian-product warning).
    side_by_side: Any = previous
    for aggregate in aggregates:
        side_by_side = side_by_side.join(aggregate, sql_true())
    columns = [
        c.label(f"p{i}_{c.name}") for i, aggregate in enumerate(aggregates) for c in aggregate.c
    ]
    query = select(previous.c.previous_intensity, *columns).select_from(side_by_side)
    return query, tuple(tuple(c.name for c in aggregate.c) for aggregate in aggregates)


def _islands(dialect: str) -> Any:
    per_day = (
        select(
            col(CheckIn.local_date).label("day"),
            func.max(case((PRACTISED, 1), else_=0)).label("done"),
        )
        .where(
            col(CheckIn.user_id) == USER,
            col(CheckIn.local_date) <= TODAY,
            or_(PRACTISED, col(CheckIn.status).in_(REST_STATUSES)),
        )
        .group_by(col(CheckIn.local_date))
        .subquery()
    )
    ordinal = func.row_number().over(order_by=per_day.c.day)
    numbered = select(
        per_day.c.day,
        per_day.c.done,
        (_day_number(dialect, per_day.c.day) - ordinal).label("run"),
    ).subquery()
    first = func.min(numbered.c.day)
    return (
        select(first, func.max(numbered.c.day), func.sum(numbered.c.done))
        .group_by(numbered.c.run)
        .order_by(first)
    )


def _runs() -> Any:
    """A day is kept when any commitment was kept, broken when one was not and none was;
    partly kept and unanswered days are neutral (left out). A run starts at each broken day."""
    per_day = (
        select(
            col(Commitment.local_date).label("day"),
            func.max(case((col(Commitment.outcome) == "yes", 1), else_=0)).label("kept"),
        )
        .where(
            col(Commitment.user_id) == USER,
            col(Commitment.local_date) <= TODAY,
            col(Commitment.outcome).in_(("yes", "no")),
        )
        .group_by(col(Commitment.local_date))
        .subquery()
    )
    broken = case((per_day.c.kept == 0, 1), else_=0)
    numbered = select(
        per_day.c.kept, func.sum(broken).over(order_by=per_day.c.day).label("run")
    ).subquery()
    return select(func.sum(numbered.c.kept)).group_by(numbered.c.run).order_by(numbered.c.run)


def _days() -> Any:
    return (
        select(
            col(CheckIn.local_date),
            col(CheckIn.kind),
            count_if(PRACTISED),
            count_if(col(CheckIn.status) == COMPLETED),
            count_if(col(CheckIn.status).in_(REST_STATUSES)),
            func.coalesce(func.sum(col(CheckIn.intensity)), 0),
            func.count(col(CheckIn.intensity)),
        )
        .where(col(CheckIn.user_id) == USER, col(CheckIn.local_date).between(START, END))
        .group_by(col(CheckIn.local_date), col(CheckIn.kind))
    )


@cache
def statements(dialect: str, parts: tuple[SummaryPart, ...]) -> Statements:
    totals, totals_columns = _totals(parts)
    return Statements(
        days=_days(),
        ids=_counted([q for part in parts for q in part.ids(dialect)], "value"),
        themes=_counted([q for part in parts for q in part.themes()], "text"),
        totals=totals,
        totals_columns=totals_columns,
        islands=_islands(dialect),
        runs=_runs(),
    )

"""The summary's SQL statements, built once per dialect with bind parameters.

Building a SQLAlchemy statement and its cache key costs about as much as running a small query
on SQLite, so the statements are constructed once (``statements(dialect)``) and executed with
parameters: ``user_id``, ``start``/``end`` (the period), ``since`` (start of the period before,
for the intensity comparison) and ``today`` (streaks).

Practice (CONTENT.md): a check-in with at least one answer counts, finished or not
(``checkins.PRACTISED``); so does a thought record or repair plan with an answer, finished
("logged", "planned") or not ("started"). A row nobody answered counts for nothing.

Streaks use gaps and islands: over the days that have a practised or a rest check-in,
``day number - row number`` is constant within a run of consecutive days, so grouping by it
yields one row per run, however long the history.
"""

from __future__ import annotations

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

from bot.columns import FreeText
from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.store.checkins import PRACTISED, has_choice

COMPLETED = "completed"
REST_STATUSES = ("skipped", "paused")
EMOTION, TRAP, PERSON, CONTEXT = "e", "d", "p", "c"

USER = bindparam("user_id", type_=BigInteger)
START = bindparam("start", type_=Date)
END = bindparam("end", type_=Date)
SINCE = bindparam("since", type_=Date)
TODAY = bindparam("today", type_=Date)


@dataclass(frozen=True)
class Statements:
    days: Any  # (day, kind, practised, completed, rest, intensity sum, count) in the period
    ids: Any  # (tag, vocabulary id, count): emotions and thinking traps
    themes: Any  # (tag, text, count): people and contexts (free text, decrypted on read)
    totals: Any  # one row: triggers, repair and commitment outcomes, intensity before START
    islands: Any  # (first day, last day, counted days) per run of recorded days
    runs: Any  # (kept days,) per run of commitments, oldest first


def _in_period(model: Any) -> Any:
    return and_(model.user_id == USER, model.local_date.between(START, END))


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


#: A thought record with an answer (``services.triggers.has_answers``): a step answered or
#: skipped, or emotions chosen.
TRIGGER_ANSWERED = or_(col(TriggerEntry.step).is_not(None), has_choice(col(TriggerEntry.emotions)))
#: A repair plan with an answer (``services.repairs.has_answers``): a step answered or
#: skipped, or any of its typed answers (its free-text columns).
REPAIR_ANSWERED = or_(
    col(RepairPlan.step).is_not(None),
    *(c.is_not(None) for c in RepairPlan.__table__.c if isinstance(c.type, FreeText)),  # type: ignore[attr-defined]
)


def started(model: Any, answered: Any) -> Any:
    """Begun and answered in part, but not finished (a draft, or one put aside)."""
    return and_(model.status != COMPLETED, answered)


def _day_number(dialect: str, column: Any) -> Any:
    """A whole number per calendar day, consecutive days one apart."""
    if dialect == "sqlite":
        return cast(func.julianday(column), Integer)
    return column - literal(date(2000, 1, 1), Date)


def _ids(dialect: str, model: Any, column: Any, tag: str) -> Any:
    name = "json_each" if dialect == "sqlite" else "json_array_elements_text"
    elements = getattr(func, name)(column).table_valued("value")
    return (
        select(literal(tag).label("tag"), elements.c.value.label("value"))
        .select_from(model)
        .join(elements, sql_true())  # the function sees the row: an implicit lateral join
        .where(_in_period(model))
    )


def _themes() -> Any:
    columns = ((PERSON, col(TriggerEntry.person)), (CONTEXT, col(TriggerEntry.context)))
    parts: list[Any] = [
        select(literal(tag).label("tag"), column.label("text")).where(
            _in_period(TriggerEntry), column.is_not(None)
        )
        for tag, column in columns
    ]
    both = union_all(*parts).subquery()
    return select(both.c.tag, both.c.text, func.count()).group_by(both.c.tag, both.c.text)


def _totals() -> Any:
    both_rated = and_(
        col(TriggerEntry.intensity_before).is_not(None),
        col(TriggerEntry.intensity_after).is_not(None),
    )
    triggers = (
        select(
            _count_if(col(TriggerEntry.status) == COMPLETED).label("logged"),
            _count_if(started(TriggerEntry, TRIGGER_ANSWERED)).label("triggers_started"),
            func.avg(case((both_rated, col(TriggerEntry.intensity_before)))).label("before"),
            func.avg(case((both_rated, col(TriggerEntry.intensity_after)))).label("after"),
        )
        .where(_in_period(TriggerEntry))
        .subquery()
    )
    outcome = col(RepairPlan.followup_outcome)
    repairs = (
        select(
            _count_if(col(RepairPlan.status) == COMPLETED).label("planned"),
            _count_if(started(RepairPlan, REPAIR_ANSWERED)).label("repairs_started"),
            _count_if(outcome == "happened").label("happened"),
            _count_if(outcome == "not_yet").label("not_yet"),
            _count_if(outcome == "badly").label("badly"),
            func.count(outcome).label("followed"),  # follow-ups exist for finished plans only
        )
        .where(_in_period(RepairPlan))
        .subquery()
    )
    commitments = (
        select(
            func.count().label("made"),
            _count_if(col(Commitment.outcome) == "yes").label("kept"),
            _count_if(col(Commitment.outcome) == "partly").label("partly"),
        )
        .where(_in_period(Commitment))
        .subquery()
    )
    previous = (
        select(func.avg(col(CheckIn.intensity)).label("previous_intensity"))
        .where(
            col(CheckIn.user_id) == USER,
            col(CheckIn.local_date) >= SINCE,
            col(CheckIn.local_date) < START,
        )
        .subquery()
    )
    # One-row aggregates side by side (joined on true: no cartesian-product warning).
    parts = (triggers, repairs, commitments, previous)
    side_by_side = triggers.join(repairs, sql_true())
    for part in parts[2:]:
        side_by_side = side_by_side.join(part, sql_true())
    return select(*parts).select_from(side_by_side)


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
            _count_if(PRACTISED),
            _count_if(col(CheckIn.status) == COMPLETED),
            _count_if(col(CheckIn.status).in_(REST_STATUSES)),
            func.coalesce(func.sum(col(CheckIn.intensity)), 0),
            func.count(col(CheckIn.intensity)),
        )
        .where(col(CheckIn.user_id) == USER, col(CheckIn.local_date).between(START, END))
        .group_by(col(CheckIn.local_date), col(CheckIn.kind))
    )


@cache
def statements(dialect: str) -> Statements:
    ids = union_all(
        _ids(dialect, CheckIn, col(CheckIn.emotions), EMOTION),
        _ids(dialect, TriggerEntry, col(TriggerEntry.emotions), EMOTION),
        _ids(dialect, TriggerEntry, col(TriggerEntry.distortions), TRAP),
    ).subquery()
    return Statements(
        days=_days(),
        ids=select(ids.c.tag, ids.c.value, func.count()).group_by(ids.c.tag, ids.c.value),
        themes=_themes(),
        totals=_totals(),
        islands=_islands(dialect),
        runs=_runs(),
    )

"""The production feature list's contributions (``bot/features/records.py``), for tests and
benchmarks that call the shared history and summary code directly: the same calls the bot
makes, with the signatures they had before features contributed (bound to the bot's features)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from bot.app import FEATURES
from bot.features.records import Contributions, contributions
from bot.models import User
from bot.services import summary as summary_service
from bot.store import history as history_store
from bot.store import summary as summary_sql
from bot.store.db import Database
from bot.store.records.checkin import CommitmentStats
from bot.store.records.repair import RepairStats
from bot.store.records.trigger import TriggerStats

RECORDS: Contributions = contributions(FEATURES)


def _page(db: Database, user_id: int, offset: int, limit: int) -> history_store.Page:
    return history_store.page(db, RECORDS.listings, user_id, offset, limit)


def _entry(db: Database, user_id: int, kind: str, entry_id: int) -> Any | None:
    return history_store.entry(db, RECORDS.listings, user_id, kind, entry_id)


#: ``bot.store.history`` with the bot's listings: ``history.page(db, user_id, offset, limit)``.
history = SimpleNamespace(page=_page, entry=_entry, Page=history_store.Page)


def label(entry: Any) -> str:
    """An entry's label in /history, by the kind its table is."""
    found = RECORDS.history_for(entry)
    assert found is not None, type(entry)
    return found.label(entry)


def detail(entry: Any, related: Sequence[Any] = ()) -> str:
    """An entry read whole in /history, given its related rows (a check-in's commitments)."""
    found = RECORDS.history_for(entry)
    assert found is not None, type(entry)
    return found.detail(entry, related)


def _load_period(
    db: Database,
    user_id: int,
    start: date,
    end: date,
    previous: tuple[date, date] | None,
    today: date,
) -> summary_sql.PeriodData:
    return summary_sql.load_period(db, RECORDS.summary.store, user_id, start, end, previous, today)


def _has_activity(db: Database, user_id: int, start: date, end: date) -> bool:
    return summary_sql.has_activity(db, RECORDS.summary.store, user_id, start, end)


#: ``bot.store.summary`` with the bot's summary parts (and the parts' figures' types).
summary_store = SimpleNamespace(
    load_period=_load_period,
    has_activity=_has_activity,
    checkin_islands=summary_sql.checkin_islands,
    streak_data=summary_sql.streak_data,
    PeriodData=summary_sql.PeriodData,
    TriggerStats=TriggerStats,
    RepairStats=RepairStats,
    CommitmentStats=CommitmentStats,
)


def build_summary(
    db: Database, user: User, now: datetime, weeks: int = 1
) -> summary_service.Summary:
    """``services.summary.build_summary`` with the bot's summary parts."""
    return summary_service.build_summary(db, RECORDS.summary, user, now, weeks)

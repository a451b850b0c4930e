"""The production feature list's contributions (``bot/features/records.py``), for tests that
call the shared history code directly: the same calls the bot makes, bound to its features."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from bot.app import FEATURES
from bot.features.records import Contributions, contributions
from bot.store import history as history_store
from bot.store.db import Database

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

"""/delete: what is stored about a user, and erasing all of it."""

from __future__ import annotations

from typing import Any

from bot.content import data, t
from bot.store import export as store
from bot.store.db import Database


def stored_counts(db: Database, user_id: int, claimed: store.Claimed = ()) -> dict[str, int]:
    """Rows per table about the user (``users`` included); ``claimed``: the features' tables
    (``Contributions.tables``), see ``store.export.tables``."""
    return store.counts(db, user_id, claimed)


def describe(counts: dict[str, int]) -> str:
    """The bullet list /delete shows: the settings, then each non-empty table."""
    labels: dict[str, Any] = data("data.tables")
    items = []
    for name, count in counts.items():
        if not count:
            continue
        if name == "users":
            items.append(t("data.delete_settings_item"))
            continue
        label = str(labels.get(name, name.replace("_", " ")))
        items.append(t("data.delete_item", label=label, count=count))
    return "\n".join(items)


def erase_everything(db: Database, user_id: int, claimed: store.Claimed = ()) -> int:
    """Delete every row about the user in every table, in one transaction; rows deleted."""
    return sum(store.erase(db, user_id, claimed=claimed).values())

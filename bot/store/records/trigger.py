"""Thought records in /history: listed once finished, a step reached or a situation written."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import col

from bot.models import TriggerEntry
from bot.store.history import Listing

LISTING = Listing(
    kind="t",
    model=TriggerEntry,
    at=TriggerEntry.created_at,
    readable=or_(
        col(TriggerEntry.status) == "completed",
        col(TriggerEntry.step).is_not(None),
        col(TriggerEntry.situation).is_not(None),
    ),
)

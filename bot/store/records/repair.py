"""Repair plans in /history: listed once finished, a step reached or a person named."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import col

from bot.models import RepairPlan
from bot.store.history import Listing

LISTING = Listing(
    kind="r",
    model=RepairPlan,
    at=RepairPlan.created_at,
    readable=or_(
        col(RepairPlan.status) == "completed",
        col(RepairPlan.step).is_not(None),
        col(RepairPlan.person).is_not(None),
    ),
)

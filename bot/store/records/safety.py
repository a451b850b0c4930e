"""The safety plan in /history: listed once any section is written."""

from __future__ import annotations

from sqlalchemy import or_

from bot.models import SafetyPlan
from bot.store.history import Listing
from bot.store.safetyplans import SECTIONS

LISTING = Listing(
    kind="s",
    model=SafetyPlan,
    at=SafetyPlan.created_at,
    readable=or_(*(getattr(SafetyPlan.__table__.c, name).is_not(None) for name in SECTIONS)),  # type: ignore[attr-defined]
)

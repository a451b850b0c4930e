"""Moments noticed in /history (listed once finished, a step reached or a person named)."""

from __future__ import annotations

from bot.models import NoticedMoment
from bot.store.history import Listing, begun

LISTING = Listing(
    "n", NoticedMoment, NoticedMoment.created_at, begun(NoticedMoment, NoticedMoment.person)
)

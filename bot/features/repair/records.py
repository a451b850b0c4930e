"""Repair plans (with their follow-ups) in /history, the summary, /export and /delete."""

from __future__ import annotations

from bot.features.records import History, Records
from bot.models import RepairPlan
from bot.services.records import repair as render
from bot.store.records import repair as store

RECORDS = Records(
    history=(History(store.LISTING, render.label, render.detail),),
    summary=store.SUMMARY,
    tables=(RepairPlan,),
)

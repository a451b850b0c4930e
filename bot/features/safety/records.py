"""The safety plan in /history, /export and /delete."""

from __future__ import annotations

from bot.features.records import History, Records
from bot.models import SafetyPlan
from bot.services.records import safety as render
from bot.store.records import safety as store

RECORDS = Records(
    history=(History(store.LISTING, render.label, render.detail),),
    tables=(SafetyPlan,),
)

"""Thought records in /history, the summary, /export and /delete."""

from __future__ import annotations

from bot.features.records import History, Records
from bot.models import TriggerEntry
from bot.services.records import trigger as render
from bot.store.records import trigger as store

RECORDS = Records(
    history=(History(store.LISTING, render.label, render.detail),),
    summary=store.SUMMARY,
    tables=(TriggerEntry,),
)

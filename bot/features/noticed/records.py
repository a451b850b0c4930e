"""Moments noticed in /history, /export and /delete."""

from __future__ import annotations

from bot.features.records import History, Records
from bot.models import NoticedMoment
from bot.services.records import noticed as render
from bot.store.records import noticed as store

RECORDS = Records(
    history=(History(store.LISTING, render.label, render.detail),),
    tables=(NoticedMoment,),
    summary=store.SUMMARY,
    summary_lines=render.summary_lines,
)

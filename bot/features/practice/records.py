"""Practices in /history and the summary; rungs, practices and plans in /export and /delete."""

from __future__ import annotations

from bot.features.records import History, Records
from bot.models import PracticeLog, PracticePlan, PracticeRung
from bot.services.records import practice as render
from bot.store.records import practice as store

RECORDS = Records(
    history=(History(store.LISTING, render.label, render.detail, store.related),),
    summary=store.SUMMARY,
    summary_lines=render.summary_lines,
    tables=(PracticeRung, PracticeLog, PracticePlan),
)

"""Check-ins (morning and evening) in /history; their feelings and commitments in the summary;
check-ins and commitments in /export and /delete."""

from __future__ import annotations

from bot.features.records import History, Records
from bot.models import CheckIn, Commitment
from bot.services.records import checkin as render
from bot.store.records import checkin as store

RECORDS = Records(
    history=(History(store.LISTING, render.label, render.detail, store.commitments_of),),
    summary=store.SUMMARY,
    tables=(CheckIn, Commitment),
)

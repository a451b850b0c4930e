"""Trigger entries (thought records): drafts answered step by step, then completed.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's entry (see store/drafts.py).
"""

from __future__ import annotations

from bot.models import TriggerEntry
from bot.store import drafts

DRAFT, COMPLETED, CLOSED = drafts.DRAFT, drafts.COMPLETED, drafts.CLOSED

_TABLE = drafts.DraftTable(TriggerEntry)
SETTABLE = _TABLE.settable

create = _TABLE.create
get = _TABLE.get
latest_draft = _TABLE.latest_draft
update = _TABLE.update
close_drafts = _TABLE.close_drafts
recent_people = _TABLE.recent_people
completed_between = _TABLE.completed_between

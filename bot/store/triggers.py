"""Trigger entries (thought records): drafts answered step by step, then completed.

Every read and write takes the user's id and only ever touches that user's rows, so an id
taken from callback data can never reach someone else's entry (see store/drafts.py).
"""

from __future__ import annotations

from bot.models import TriggerEntry
from bot.store import drafts

DRAFT, COMPLETED, CLOSED = drafts.DRAFT, drafts.COMPLETED, drafts.CLOSED

TABLE = drafts.PeopleTable(TriggerEntry)
SETTABLE = TABLE.settable

create = TABLE.create
get = TABLE.get
latest_draft = TABLE.latest_draft
update = TABLE.update
close_drafts = TABLE.close_drafts
completed_between = TABLE.completed_between

"""Housekeeping for the sweep's tick (bot/outbound/sweep.py): deleting old finished prompts."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from telegram.ext import Application

from bot.handlers.common import RUNTIME_KEY
from bot.runtime import Runtime
from bot.store import prompts

log = logging.getLogger("bot.outbound.sweep")  # the log lines keep the sweep's name

PRUNED_KEY = "sweep_pruned_at"
#: Finished prompts are kept this long (buttons expire long before), then deleted.
KEEP_FINISHED = timedelta(days=30)
PRUNE_EVERY = timedelta(hours=1)

App = Application  # type: ignore[type-arg]


async def prune_if_due(app: App, now: datetime) -> int:
    """Once an hour, delete a bounded batch of old finished prompts."""
    last: datetime | None = app.bot_data.get(PRUNED_KEY)
    if last is not None and now - last < PRUNE_EVERY:
        return 0
    app.bot_data[PRUNED_KEY] = now
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    deleted = await asyncio.to_thread(prompts.prune, rt.db, now - KEEP_FINISHED)
    if deleted:
        log.info("sweep_pruned rows=%s", deleted)
    return deleted

"""The design we did not choose, measured: one PTB ``run_daily`` job per user per slot.

``python -m bench.run_daily_baseline`` does what bench/startup.py does and, before start,
reads every active, unpaused user and registers two run_daily jobs (morning and evening) in
the user's timezone, as a job-per-user bot would on every start. Prints one JSON line.
"""

from __future__ import annotations

import sys
import time
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from telegram.ext import Application

from bench.startup import main
from bot.handlers.common import RUNTIME_KEY

SLOTS = ("morning", "evening")


async def _noop(context: Any) -> None:
    return None


async def register_jobs(app: Application, figures: dict[str, Any]) -> None:  # type: ignore[type-arg]
    assert app.job_queue is not None
    db = app.bot_data[RUNTIME_KEY].db
    mark = time.perf_counter()
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, timezone, morning_time, evening_time FROM users "
                "WHERE active AND NOT paused AND onboarded_at IS NOT NULL"
            )
        ).all()
    figures["load_users_s"] = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    zones: dict[str, ZoneInfo] = {}
    for user_id, zone_name, morning, evening in rows:
        zone = zones.get(zone_name) or zones.setdefault(zone_name, ZoneInfo(zone_name))
        for slot, hhmm in zip(SLOTS, (morning, evening), strict=True):
            hours, minutes = map(int, hhmm.split(":"))
            app.job_queue.run_daily(
                _noop,
                time=dtime(hours, minutes, tzinfo=zone),
                chat_id=user_id,
                user_id=user_id,
                name=f"{slot}:{user_id}",
            )
    figures["register_s"] = round(time.perf_counter() - mark, 3)
    figures["users"] = len(rows)


if __name__ == "__main__":
    sys.exit(main(register_jobs))

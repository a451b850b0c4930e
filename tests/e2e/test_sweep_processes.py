"""Two bot processes sweeping one PostgreSQL database send each prompt once; the job exists."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from bot.app import build_application
from bot.outbound.sweep import run_sweep
from bot.services import timetable
from bot.store import users
from bot.store.db import Database
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig
from tests.fakebot import FakeBotApi

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EVENING = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 21:00 in Berlin


async def test_two_processes_send_each_prompt_once(
    server: FakeBotApi, pg_db: Database, clock: FakeClock
) -> None:
    count = 60
    for i in range(1, count + 1):
        server.add_chat(i, f"U{i}")
        users.ensure(pg_db, i, i, f"U{i}", "en", START)
        users.update_fields(pg_db, i, START, timezone="Europe/Berlin", onboarded_at=START)
        timetable.reschedule(pg_db, i, START)

    settings = BotRig(server, pg_db, clock).settings
    databases = [Database(pg_db.url), Database(pg_db.url)]  # one engine per "process"
    apps = [
        build_application(settings, db=database, clock=clock, run_jobs=False)
        for database in databases
    ]
    for app in apps:
        await app.initialize()
    try:
        reports = await asyncio.gather(*(run_sweep(app, EVENING, limit=7) for app in apps * 6))
    finally:
        for app in apps:
            await app.shutdown()
        for database in databases:
            database.dispose()

    assert sum(r.sent for r in reports) == count
    chats = Counter(r.params["chat_id"] for r in server.calls("sendMessage", ok=True))
    assert len(chats) == count and set(chats.values()) == {1}


def test_the_sweep_job_runs_only_when_jobs_are_on(server: FakeBotApi, db: Database) -> None:
    rig = BotRig(server, db, FakeClock(), SWEEP_INTERVAL_SECONDS="7")
    on = build_application(rig.settings, db=db, run_jobs=True)
    off = build_application(rig.settings, db=db, run_jobs=False)
    assert on.job_queue is not None and off.job_queue is not None
    (job,) = on.job_queue.get_jobs_by_name("sweep")
    assert job.job.trigger.interval.total_seconds() == 7
    assert off.job_queue.get_jobs_by_name("sweep") == ()

"""PostgreSQL drops every connection (a restart, a failover) between two updates: the bot
reconnects on the next one (pool_pre_ping) and the conversation carries on."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.store import users
from bot.store.db import Database, make_engine
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, sent
from tests.fakebot import FakeBotApi


def terminate_connections(db: Database) -> int:
    """Kill every server process serving the bot's database, as a restart would."""
    url = make_url(db.url)
    admin = make_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            killed = conn.execute(
                text(
                    # with a timeout, each call returns once that process has really exited
                    "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": url.database},
            ).scalar_one()
    finally:
        admin.dispose()
    return int(killed)


async def test_the_bot_reconnects_after_postgres_drops_its_connections(
    server: FakeBotApi, pg_db: Database, clock: FakeClock
) -> None:
    rig = BotRig(server, pg_db, clock)
    await rig.start()
    try:
        alex = rig.user(1001)
        await alex.ask("/start")
        await alex.tap("Let's begin")

        assert terminate_connections(pg_db) >= 1
        (confirm,) = sent(await alex.ask("Berlin"))  # (this step needs no database)
        assert "Europe/Berlin" in confirm.text
        (morning,) = sent(await alex.tap("Yes, that's right"))  # meets the dead connection
        assert "morning" in morning.text.lower()

        assert terminate_connections(pg_db) >= 1  # a fresh connection had replaced it
        (evening,) = sent(await alex.tap("08:00 (default)"))
        assert "evening" in evening.text.lower()
        stored = users.get(pg_db, alex.id)
        assert stored is not None
        assert (stored.timezone, stored.morning_time) == ("Europe/Berlin", "08:00")
        failed = [r for r in server.requests if not r.ok and r.method != "getUpdates"]
        assert failed == []  # no "something went wrong" along the way
    finally:
        await rig.stop()

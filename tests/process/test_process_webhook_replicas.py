"""Two webhook replicas on one PostgreSQL behind a (simulated) load balancer: any of them gets
any update, and a user's conversation goes on whichever replica gets the next one — one at a
time across both (bot/replicas/userlock.py, bot/replicas/steps.py)."""

from __future__ import annotations

import pytest

from bot.store.db import Database
from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.webhook import deliver_webhook
from tests.process.conftest import Processes
from tests.process.harness import START_TIMEOUT, bot_env, free_port, next_message
from tests.process.test_process_webhook import WEBHOOK_SECRET

pytestmark = [pytest.mark.timeout(240), pytest.mark.postgres_only]

PATH = "/steady/hook"


async def test_a_users_conversation_goes_on_across_two_webhook_replicas(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    urls = []
    for _ in range(2):
        port = free_port()
        url = f"http://127.0.0.1:{port}{PATH}"
        env = bot_env(
            server,
            db.url,
            WEBHOOK_URL=url,
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
        )
        replica = await procs.start(env)
        await replica.wait_for_line("webhook_listening", START_TIMEOUT)
        urls.append(url)
    a, b = urls
    alex = FakeUser(server, 1001)

    async def to(url: str, update_id: int) -> None:
        assert await deliver_webhook(server, update_id, url=url) == 200

    await to(a, await alex.send("/start"))
    assert "Hi Alex" in (await next_message(alex, START_TIMEOUT)).text
    await to(b, await alex.press("Let's begin"))  # B goes on with A's conversation
    await next_message(alex)
    await to(a, await alex.send("Berlin"))
    assert "Europe/Berlin" in (await next_message(alex)).text
    await to(b, await alex.press("Yes, that's right"))
    assert "morning" in (await next_message(alex)).text.lower()

    # Two quick answers, one to each replica, the second as soon as the first was taken (as
    # Telegram delivers), before its reply: handled one after the other, in order.
    await to(a, await alex.send("7:30"))
    await to(b, await alex.send("21:30"))
    assert "evening" in (await next_message(alex)).text.lower()
    done = await next_message(alex)
    assert "Morning check-in: 07:30" in done.text and "Evening reflection: 21:30" in done.text
    for replica in procs.started:
        assert await replica.stop() == 0 and "Traceback" not in replica.output

"""`python -m bot` as a real process in webhook mode, and the webhook settings Telegram would
refuse stopping the start."""

from __future__ import annotations

import aiohttp
import pytest

from bot.store.db import Database
from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.webhook import deliver_webhook
from tests.process.conftest import Processes
from tests.process.harness import (
    HELP_START,
    START_TIMEOUT,
    BotProcess,
    bot_env,
    free_port,
    next_message,
)

pytestmark = pytest.mark.timeout(240)

WEBHOOK_SECRET = "process-test-secret_0123456789abcdef"


async def test_webhook_mode(server: FakeBotApi, db: Database, procs: Processes) -> None:
    port = free_port()
    bot = await procs.start(
        bot_env(
            server,
            db.url,
            WEBHOOK_URL=f"http://127.0.0.1:{port}/steady/hook",  # any path, not just /telegram
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
        )
    )
    (hook,) = await server.wait_for_call("setWebhook", timeout=START_TIMEOUT)
    assert hook.params["secret_token"] == WEBHOOK_SECRET

    alex = FakeUser(server, 1001)
    assert await deliver_webhook(server, await alex.send("/help")) == 200
    assert HELP_START in (await next_message(alex)).text
    assert await deliver_webhook(server, await alex.send("/help"), secret="guess") == 403
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        assert response.status == 200

    assert await bot.stop() == 0
    assert server.calls("getUpdates") == []
    assert len([e for e in alex.events if e.kind == "message"]) == 1  # the forged one: none


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"WEBHOOK_URL": "http://bot.example.org/hook"}, "https://"),
        ({"WEBHOOK_SECRET": "too-short"}, "32"),
    ],
    ids=["plain-http-url", "short-secret"],
)
async def test_a_webhook_telegram_would_refuse_stops_the_start_with_exit_2(
    server: FakeBotApi, db: Database, env: dict[str, str], says: str
) -> None:
    settings = {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": WEBHOOK_SECRET}
    bot = BotProcess(bot_env(server, db.url, **{**settings, **env}))
    await bot.start()
    try:
        assert await bot.wait(START_TIMEOUT) == 2
    finally:
        await bot.close()
    assert says in bot.output and "Traceback" not in bot.output
    assert server.calls("setWebhook") == []

"""Webhook mode: the production Application behind bot/webhook.py, fed like Telegram feeds it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from sqlalchemy import create_engine
from tornado.netutil import bind_sockets

from bot.app import build_application
from bot.store.db import Database
from bot.webhook import WebhookRunner
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, TrackedSteady, sent, texts
from tests.fakebot import FakeBotApi
from tests.fakebot.webhook import deliver_webhook

SECRET = "s3cret_Token-for-tests_0123456789abcdef"  # Telegram's alphabet, 32+ characters
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2"


@dataclass
class Hook:
    rig: BotRig
    runner: WebhookRunner
    port: int

    @property
    def server(self) -> FakeBotApi:
        return self.rig.server

    async def get(self, path: str) -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{self.port}{path}") as response,
        ):
            return response.status, await response.text()


@pytest.fixture
def path() -> str:
    """The path of WEBHOOK_URL (tests parametrize it)."""
    return "/telegram"


@pytest.fixture
async def hook(
    server: FakeBotApi, db: Database, clock: FakeClock, path: str
) -> AsyncIterator[Hook]:
    (sock,) = bind_sockets(0, "127.0.0.1")
    port = sock.getsockname()[1]
    rig = BotRig(
        server,
        db,
        clock,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{path}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        PORT=str(port),
    )
    app = build_application(
        rig.settings,
        db=db,
        clock=clock,
        application_class=TrackedSteady,
        application_kwargs={"fake_server": server},
        run_jobs=False,
    )
    runner = WebhookRunner(app, rig.settings, db, sockets=[sock])
    assert await runner.start()
    try:
        yield Hook(rig, runner, port)
    finally:
        await runner.stop()


async def test_the_webhook_is_registered_with_its_secret(hook: Hook) -> None:
    (call,) = hook.server.calls("setWebhook")
    assert call.params["url"] == f"http://127.0.0.1:{hook.port}/telegram"
    assert call.params["secret_token"] == SECRET
    assert "callback_query" in call.params["allowed_updates"]
    assert hook.server.calls("getUpdates") == []  # no polling in webhook mode
    assert hook.server.calls("setMyCommands")


async def test_an_update_with_the_secret_is_processed_and_answered(hook: Hook) -> None:
    alex = hook.rig.user(1001)
    update_id = await alex.send("/start")

    assert await deliver_webhook(hook.server, update_id) == 200
    await hook.server.wait_processed(update_id)
    (welcome,) = sent(alex.unread())
    assert "Hi Alex" in welcome.text

    tap = await alex.press("Let's begin")
    assert await deliver_webhook(hook.server, tap) == 200
    await hook.server.wait_processed(tap)
    assert "timezone" in texts(alex.unread()).lower()


@pytest.mark.parametrize("path", ["/hook", "/bot/AbC-123/updates/"])
async def test_the_path_webhook_url_names_is_the_one_served(hook: Hook, path: str) -> None:
    (call,) = hook.server.calls("setWebhook")
    assert call.params["url"] == f"http://127.0.0.1:{hook.port}{path}"
    alex = hook.rig.user(1001)

    update_id = await alex.send("/help")  # Telegram posts to the registered URL
    assert await deliver_webhook(hook.server, update_id) == 200
    await hook.server.wait_processed(update_id)
    assert "Here's what I can do" in texts(alex.unread())

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://127.0.0.1:{hook.port}/telegram",  # the old fixed path serves nothing
            json=hook.server.state.pushed[await alex.send("/help")],
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response,
    ):
        assert response.status == 404
    assert (await hook.get("/healthz"))[0] == 200


@pytest.mark.parametrize("path", ["/telegram", "/hook"])
@pytest.mark.parametrize("secret", ["wrong-secret", SECRET + "x", SECRET[:-1], "", None])
async def test_a_wrong_or_missing_secret_is_refused_and_not_processed(
    hook: Hook, secret: str | None
) -> None:
    alex = hook.rig.user(1001)
    forged = await alex.send("/start")

    assert await deliver_webhook(hook.server, forged, secret=secret) == 403

    genuine = await alex.send("/help")  # the next real update is handled…
    assert await deliver_webhook(hook.server, genuine) == 200
    await hook.server.wait_processed(genuine)
    assert forged not in hook.server.state.processed  # …and the forged one never was
    (reply,) = sent(alex.unread())
    assert "Here's what I can do" in reply.text


async def test_a_body_that_is_not_an_update_is_refused(hook: Hook) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"http://127.0.0.1:{hook.port}/telegram",
            data=b"{not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response,
    ):
        assert response.status == 400


async def test_healthz_follows_the_database(hook: Hook) -> None:
    assert await hook.get("/healthz") == (
        200,
        '{"status": "ok", "database": true, "polling": false}',
    )  # (a webhook replica never polls)

    db = hook.runner.db
    working = db.engine
    db.engine = create_engine(UNREACHABLE)  # the database goes away
    try:
        status, body = await hook.get("/healthz")
        assert status == 503 and "database" in body
    finally:
        db.engine.dispose()
        db.engine = working

    assert (await hook.get("/healthz"))[0] == 200  # and comes back

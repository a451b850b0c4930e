"""Webhook mode: one small tornado server taking updates on the path of ``WEBHOOK_URL``
(``POST``; e.g. ``/telegram`` for ``https://bot.example.org/telegram``) and ``GET /healthz``.

PTB's own ``run_webhook`` serves only the update path, so the bot runs its own server here
(tornado comes with PTB's ``webhooks`` extra): Telegram's secret header is compared in
constant time (a wrong or missing secret gets 403 and the update is not processed), and
``/healthz`` answers 200 while the database answers, 503 otherwise — for the platform's health
check or the proxy in front. The update path is exactly the one ``WEBHOOK_URL`` names, so the
URL registered with Telegram and the path served can never disagree; a request to any other
path gets 404 and a ``webhook_unknown_path`` warning (a proxy rewriting the path shows up in
the log instead of as a silent bot). bot/config.py refuses a URL Telegram would not call.

Start-up order: initialize (retrying while Telegram is unreachable), ``post_init`` (command
menu), start processing, listen, then ``setWebhook`` with the secret — so the first update
Telegram sends finds a server ready for it. SIGTERM/SIGINT stop the server, let the
application finish the updates it has queued, and exit. The webhook stays registered while
the bot is down: Telegram keeps the updates and delivers them after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import tornado.web
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.app import ALLOWED_UPDATES
from bot.concurrency import PerUserProcessor
from bot.config import HEALTH_PATH, Settings
from bot.replicas import health
from bot.replicas.health import HealthHandler, route
from bot.shutdown import close_app
from bot.store.db import Database

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # updates are a few kilobytes; refuse anything absurd
MAX_BACKOFF = 30.0
#: Seconds a webhook replica waits for an update to take its user's turn before answering
#: Telegram anyway (bot/replicas/userlock.py).
TURN_WAIT = 10.0

AnyApp = Application  # type: ignore[type-arg]


class UpdateHandler(tornado.web.RequestHandler):
    """Telegram POSTs each update here with the secret in a header."""

    def initialize(self, app: AnyApp, secret: str) -> None:  # type: ignore[override]
        self.app = app
        self.secret = secret.encode()

    def check_xsrf_cookie(self) -> None:  # not a browser form
        return None

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("webhook_rejected reason=%s", "wrong_secret" if given else "no_secret")
            self._reply(403, "forbidden")
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:
            log.warning("webhook_bad_update error=%s", type(exc).__name__)
            self._reply(400, "bad update")
            return
        if update is None:
            self._reply(400, "bad update")
            return
        processor = self.app.update_processor
        taken = None
        if isinstance(processor, PerUserProcessor) and processor.guard is not None:
            taken = processor.expect_turn(update.update_id)  # replicas: see expect_turn
        await self.app.update_queue.put(update)
        if taken is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(taken.wait(), TURN_WAIT)
        self._reply(200, "ok")

    def _reply(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": message}))


class UnknownPath(tornado.web.RequestHandler):
    """Anything but the update path and /healthz: 404, and a line in the log saying so."""

    def prepare(self) -> None:
        # The path itself is not logged: some operators put a token in it.
        log.warning("webhook_unknown_path method=%s", self.request.method)
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": "not found"}))


def make_web_app(app: AnyApp, settings: Settings, db: Database) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (
                route(settings.webhook_path),
                UpdateHandler,
                {"app": app, "secret": settings.webhook_secret or ""},
            ),
            (route(HEALTH_PATH), HealthHandler, {"db": db}),
        ],
        default_handler_class=UnknownPath,
        log_function=lambda handler: None,  # our own log lines carry ids only
    )


async def retry_network(
    action: Callable[[], Awaitable[Any]], what: str, stop: asyncio.Event | None = None
) -> bool:
    """Run ``action`` until it succeeds, waiting out network errors and 429s with backoff.

    Returns False if ``stop`` was set before it succeeded. Other errors (a bad token, a webhook
    URL Telegram refuses) are raised: retrying would not help.
    """
    delay = 1.0
    while stop is None or not stop.is_set():
        try:
            await action()
            return True
        except RetryAfter as exc:
            wait = exc.retry_after
            delay_now = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        except BadRequest:
            raise
        except NetworkError as exc:
            delay_now, delay = delay, min(MAX_BACKOFF, delay * 1.5)
            log.warning("telegram_unreachable during=%s error=%s", what, type(exc).__name__)
        if stop is None:
            await asyncio.sleep(delay_now)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay_now)
    return False


class WebhookRunner:
    """Start and stop the bot in webhook mode (``run_webhook`` below does both, for main)."""

    def __init__(
        self,
        app: AnyApp,
        settings: Settings,
        db: Database,
        *,
        sockets: list[socket.socket] | None = None,
    ) -> None:
        if not settings.webhook_url or not settings.webhook_secret:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self.app = app
        self.settings = settings
        self.db = db
        self._sockets = sockets
        self._server: HTTPServer | None = None
        self._started_app = False
        self.port: int | None = None

    async def start(self, stop: asyncio.Event | None = None) -> bool:
        """Bring everything up; False if ``stop`` was set while Telegram was unreachable."""
        app, settings = self.app, self.settings
        if not await retry_network(app.initialize, "initialize", stop):
            return False
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        self._started_app = True
        web_app = make_web_app(app, settings, self.db)
        self._server = HTTPServer(web_app, max_body_size=MAX_BODY)
        sockets = self._sockets or bind_sockets(settings.port, settings.webhook_listen)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

        async def set_webhook() -> None:
            await app.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=40,
            )

        if not await retry_network(set_webhook, "set_webhook", stop):
            return False
        log.info("webhook_listening port=%s", self.port)
        return True

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
        await close_app(self.app, started=self._started_app)


async def serve(app: AnyApp, settings: Settings, db: Database) -> None:
    """Run until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = WebhookRunner(app, settings, db)
    checks = await health.start(settings, db)  # HEALTH_PORT, besides the webhook's own
    try:
        if await runner.start(stop):
            await stop.wait()
    finally:
        if checks is not None:
            checks.stop()
        await runner.stop()


def run_webhook(app: AnyApp, settings: Settings, db: Database) -> None:
    asyncio.run(serve(app, settings, db))

"""``GET /healthz``: whether the database answers, and whether this replica polls.

The webhook server answers it on its own port (bot/webhook.py); ``HEALTH_PORT`` serves it on a
port of its own too, in polling mode as well — for a platform's health check or a container
orchestrator. 200 while the database answers, 503 otherwise; the body says which replica
polls: ``{"status": "ok", "database": true, "polling": false}``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.config import HEALTH_PATH, Settings
from bot.store.db import Database

log = logging.getLogger(__name__)

HEALTH_TIMEOUT = 5.0  # seconds a database ping may take before /healthz says 503


def _never() -> bool:
    return False


class HealthHandler(tornado.web.RequestHandler):
    """200 while the database answers, 503 when it does not (or takes too long)."""

    def initialize(  # type: ignore[override]
        self, db: Database, polling: Callable[[], bool] = _never
    ) -> None:
        self.db = db
        self.polling = polling

    async def get(self) -> None:
        try:
            ok = await asyncio.wait_for(asyncio.to_thread(self.db.ping), HEALTH_TIMEOUT)
        except TimeoutError:
            ok = False
        if not ok:
            log.warning("healthz_unhealthy reason=database")
        self.set_status(200 if ok else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        body = {"status": "ok" if ok else "database unreachable", "database": ok}
        self.finish(json.dumps({**body, "polling": self.polling()}))


def route(path: str) -> str:
    """Tornado's pattern for exactly ``path`` (a trailing slash either way)."""
    return re.escape(path.rstrip("/")) + "/?"


async def start(
    settings: Settings, db: Database, polling: Callable[[], bool] = _never
) -> HTTPServer | None:
    """Serve /healthz on ``HEALTH_PORT`` (None: not set)."""
    if settings.health_port is None:
        return None
    app = tornado.web.Application(
        [(route(HEALTH_PATH), HealthHandler, {"db": db, "polling": polling})],
        log_function=lambda handler: None,
    )
    server = HTTPServer(app)
    sockets = bind_sockets(settings.health_port, settings.webhook_listen)
    server.add_sockets(sockets)
    log.info("healthz_listening port=%s", sockets[0].getsockname()[1])
    return server

"""Wire a python-telegram-bot Application to a FakeBotApi."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder

if TYPE_CHECKING:
    from .server import FakeBotApi


class TrackedApplication(Application):
    """An Application that tells the fake server when it finished processing each update."""

    def __init__(self, *, fake_server: FakeBotApi | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fake_server = fake_server

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if self.fake_server is not None and isinstance(update, Update):
                self.fake_server.mark_processed(update.update_id)


def application_builder(server: FakeBotApi) -> ApplicationBuilder:
    """An ApplicationBuilder already pointed at ``server`` (add handlers/persistence, build)."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .application_class(TrackedApplication, kwargs={"fake_server": server})
    )


@asynccontextmanager
async def running(app: Application, poll_timeout: int = 1) -> AsyncIterator[Application]:
    """initialize + start + start_polling; stop everything again on exit."""
    await app.initialize()
    try:
        await app.start()
        assert app.updater is not None, "build the Application with an Updater"
        await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

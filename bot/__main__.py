"""`python -m bot`: read settings, apply migrations, run long polling (or a webhook)."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import configure_logging
from bot.replicas import sqlite_lock
from bot.store.db import Database, upgrade_to_head

log = logging.getLogger("bot")


def run(settings: Settings) -> None:
    from bot.app import build_application

    db = Database(settings.database_url)
    app = build_application(settings, db=db)
    log.info("starting mode=%s", "webhook" if settings.webhook_url else "polling")
    if settings.webhook_url:
        from bot.webhook import run_webhook

        run_webhook(app, settings, db)
    else:
        # Polling by one replica at a time; starts even while Telegram is unreachable,
        # retrying with backoff (bot/replicas/polling.py).
        from bot.replicas.polling import serve

        asyncio.run(serve(app, settings, db))
    db.dispose()
    log.info("stopped")


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    try:
        sqlite_lock.hold(settings.database_url)  # SQLite: one process (bot/replicas/)
        upgrade_to_head(settings.database_url)
        run(settings)
    except ConfigError as err:  # another process on the SQLite file, an encryption key
        # that can't read the stored text
        print(err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bot`: read settings, apply migrations, run long polling (or a webhook)."""

from __future__ import annotations

import logging
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import configure_logging
from bot.store.db import upgrade_to_head

log = logging.getLogger("bot")


def run(settings: Settings) -> None:
    from telegram import Update

    from bot.app import build_application

    app = build_application(settings)
    log.info("starting mode=%s", "webhook" if settings.webhook_url else "polling")
    if settings.webhook_url:
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    log.info("stopped")


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    configure_logging(settings.log_level)
    upgrade_to_head(settings.database_url)
    try:
        run(settings)
    except ConfigError as err:  # e.g. an encryption key that can't read the stored text
        print(err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

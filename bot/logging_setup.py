"""Logging: ids and event names only. Libraries that would log URLs (with the token) are quieted."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # httpx logs every request URL, which contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # PTB's DEBUG lines print whole updates (what users wrote); never below INFO, even when
    # LOG_LEVEL=DEBUG is set to see our own event lines.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLogger().level))
    # tornado (webhook mode) logs each request's URI and errors with request bodies at DEBUG.
    logging.getLogger("tornado").setLevel(max(logging.INFO, logging.getLogger().level))

"""Logging: ids and event names only. Libraries that would log URLs (with the token) are quieted.

Our own loggers (``bot`` and below) log ids and event names by construction. Every other logger
(python-telegram-bot at DEBUG logs whole updates and request parameters, httpx logs URLs with
the token) gets its arguments redacted when the record is created: numbers stay, anything else
becomes ``…``. That holds whatever level or handler is configured later (pytest's caplog too).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

REDACTED = "…"
_SAFE_TYPES = (int, float, type(None))  # bool is an int

_previous_factory: Callable[..., logging.LogRecord] | None = None


def _is_own(name: str) -> bool:
    return name == "bot" or name.startswith("bot.")


def _safe(value: Any) -> Any:
    return value if isinstance(value, _SAFE_TYPES) else REDACTED


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's arguments (and a non-text message) by placeholders, in place."""
    if not isinstance(record.msg, str):
        record.msg = f"<{type(record.msg).__name__}>"
        record.args = ()
        return record
    if not record.args:
        return record
    args: Any
    if isinstance(record.args, Mapping):
        args = {key: _safe(value) for key, value in record.args.items()}
    else:
        args = tuple(_safe(value) for value in record.args)
    with contextlib.suppress(TypeError, ValueError, KeyError):  # "%d" given "…": keep the format
        record.msg = record.msg % args
    record.args = ()
    return record


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _previous_factory is not None
    record = _previous_factory(*args, **kwargs)
    return record if _is_own(record.name) else redact(record)


def install_redaction() -> None:
    """Redact third-party log records from now on (idempotent)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    _previous_factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(_factory)


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    install_redaction()
    # httpx logs every request URL, which contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # PTB's DEBUG lines print whole updates (what users wrote); never below INFO, even when
    # LOG_LEVEL=DEBUG is set to see our own event lines.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLogger().level))
    # tornado (webhook mode) logs each request's URI and errors with request bodies at DEBUG.
    logging.getLogger("tornado").setLevel(max(logging.INFO, logging.getLogger().level))

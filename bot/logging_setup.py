"""Logging: ids and event names only. Libraries that would log URLs (with the token) are quieted.

Our own loggers (``bot`` and below) log ids and event names by construction. Every other logger
(python-telegram-bot at DEBUG logs whole updates and request parameters, httpx logs URLs with
the token) gets its arguments redacted when the record is created: numbers stay, anything else
becomes ``…``. A third-party message that arrives already formatted is scrubbed too: tokens,
URLs, quoted and bracketed parts, ``key=value`` pairs and whatever follows a ``": "`` become
``…``. Tracebacks (of every logger, ours included) keep their frames and exception types but
never the exception's text, which can quote what a user wrote (a KeyError on their answer, a
database error's parameters). That holds whatever level or handler is configured later
(pytest's caplog too).
"""

from __future__ import annotations

import contextlib
import logging
import re
import traceback
from collections.abc import Callable, Mapping
from typing import Any

REDACTED = "…"
_SAFE_TYPES = (int, float, type(None))  # bool is an int
_LONGEST = 300  # characters of a third-party message kept at most
#: What a pre-formatted third-party message may carry that is not the library's own words, in
#: the order it is scrubbed: whatever follows "detail: ", brackets, quotes, URLs, bot tokens,
#: key=value pairs.
_SCRUB = (
    re.compile(r"(?<=: ).*", re.DOTALL),
    re.compile(r"\{.*\}|\[.*\]|\(.*\)", re.DOTALL),
    re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`"),
    re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE),
    re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}"),
    re.compile(r"=\S+"),
)

_previous_factory: Callable[..., logging.LogRecord] | None = None


def _is_own(name: str) -> bool:
    return name == "bot" or name.startswith("bot.")


def _safe(value: Any) -> Any:
    return value if isinstance(value, _SAFE_TYPES) else REDACTED


def scrub(message: str) -> str:
    """A pre-formatted message with everything that could be data replaced by ``…``."""
    for pattern in _SCRUB:
        message = pattern.sub(REDACTED, message)
    return message if len(message) <= _LONGEST else message[: _LONGEST - 1] + REDACTED


def redact(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's arguments (and a non-text message) by placeholders, in place."""
    if not isinstance(record.msg, str):
        record.msg = f"<{type(record.msg).__name__}>"
        record.args = ()
        return record
    if not record.args:
        record.msg = scrub(record.msg)
        return record
    args: Any
    if isinstance(record.args, Mapping):
        args = {key: _safe(value) for key, value in record.args.items()}
    else:
        args = tuple(_safe(value) for value in record.args)
    record.msg = scrub(record.msg)  # the template itself may have been formatted beforehand
    with contextlib.suppress(TypeError, ValueError, KeyError):  # "%d" given "…": keep the format
        record.msg = record.msg % args
    record.args = ()
    return record


def safe_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` and its causes, as logging prints it, but each exception shown
    by its type only: the frames (file, line, code) stay, the message never does."""
    parts: list[str] = []
    seen: set[int] = set()

    def walk(current: BaseException) -> None:
        seen.add(id(current))
        cause, context = current.__cause__, current.__context__
        if cause is not None and id(cause) not in seen:
            walk(cause)
            parts.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
            )
        elif context is not None and not current.__suppress_context__ and id(context) not in seen:
            walk(context)
            parts.append(
                "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
        if current.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(current.__traceback__))
        kind = type(current)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {REDACTED}\n")

    walk(exc)
    return "".join(parts).rstrip("\n")


def redact_exception(record: logging.LogRecord) -> logging.LogRecord:
    """Pre-render the record's traceback without exception texts (formatters use exc_text)."""
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = safe_traceback(record.exc_info[1])
    return record


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _previous_factory is not None
    record = redact_exception(_previous_factory(*args, **kwargs))
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

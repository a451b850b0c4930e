"""Logs carry no user text even in tracebacks and pre-formatted library messages, and the
settings print without their secrets (issue 21)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.config import settings_from
from bot.logging_setup import install_redaction

MARKER = "QZXMARK my partner left"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """What a handler with the production format writes, for every logger."""
    install_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    level, root.level = root.level, logging.DEBUG
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _fail_on(answer: str) -> None:
    answers: dict[str, int] = {}
    try:
        answers[answer] += 1
    except KeyError as exc:
        raise ValueError(f"could not store {answer!r}") from exc


@pytest.mark.parametrize("name", ["telegram.ext.Application", "bot.handlers.general", "asyncio"])
def test_tracebacks_keep_frames_and_types_but_not_the_exception_text(
    output: io.StringIO, name: str
) -> None:
    try:
        _fail_on(MARKER)
    except ValueError:
        logging.getLogger(name).exception("handling an update failed")

    logged = output.getvalue()
    assert "QZXMARK" not in logged
    assert "Traceback (most recent call last)" in logged and "_fail_on" in logged
    assert "builtins.KeyError: …" in logged and "builtins.ValueError: …" in logged
    assert "direct cause" in logged


def test_preformatted_library_messages_are_scrubbed(output: io.StringIO) -> None:
    library = logging.getLogger("somelibrary.updater")  # any logger not ours
    library.info("No error handlers are registered, logging exception.")
    library.warning(f"Update {{'message': {{'text': '{MARKER}'}}}} caused an error")
    library.error(f"Error while getting Updates: Conflict on '{MARKER}'")
    library.debug(f"Calling https://api.telegram.org/bot{TOKEN}/sendMessage text={MARKER}")
    library.info(f"sendMessage failed: {MARKER}")
    logging.getLogger("somelibrary.http").info(
        'HTTP Request: %s %s "%s"', "POST", f"/bot{TOKEN}/x", MARKER
    )

    logged = output.getvalue()
    assert "QZXMARK" not in logged and TOKEN not in logged
    assert "No error handlers are registered, logging exception." in logged
    assert "Error while getting Updates: …" in logged


def test_settings_print_without_secrets() -> None:
    key = "q0SMeR6Fv4bYcrZJ2Zfdc9mZrXhC5VnTLVbWc1dH_Rk="
    old = "Xe3eLMRZlF6m2nBBGvrS9lYsvEYlWOsoOaK9xP4yM0k="
    settings = settings_from(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": "postgresql+psycopg://steady:hunter2pw@db.example.org/steady",
            "WEBHOOK_URL": "https://bot.example.org/telegram",
            "WEBHOOK_SECRET": "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t",
            "STEADY_ENCRYPTION_KEY": key,
            "STEADY_ENCRYPTION_OLD_KEYS": old,
        }
    )
    for shown in (repr(settings), str(settings), f"{settings}", repr([settings])):
        for secret in (TOKEN, "hunter2pw", "s3cr3t", key, old):
            assert secret not in shown
        assert "token=<set>" in shown and "encryption_old_keys=<set>" in shown
        assert "db.example.org" in shown and "https://bot.example.org/telegram" in shown
    assert settings.token == TOKEN  # the values themselves are untouched

"""Logs never contain what users wrote (nor the bot token), even at DEBUG for every library."""

from __future__ import annotations

import logging

import pytest

from bot.features.safety import handlers as safety
from tests.e2e.rig import BotRig

MARKER = "QZXMARK"
LOGGERS = ("", "bot", "telegram", "httpx", "httpcore", "aiohttp", "apscheduler", "asyncio")


def _boom(text: str | None) -> bool:
    raise ValueError(f"could not handle {text!r}")


async def test_conversations_leave_no_user_text_in_logs(
    rig: BotRig, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    alex = rig.user(1001, f"{MARKER}-name")

    # onboarding, with unreadable answers echoed back to the user
    await alex.ask("/start")
    await alex.tap("Let's begin")
    await alex.ask(f"{MARKER} town")
    await alex.ask("Berlin")
    await alex.tap("Yes, that's right")
    await alex.ask(f"{MARKER} o'clock")
    await alex.tap("08:00 (default)")
    await alex.tap("21:00 (default)")
    # settings shortcuts with marker text
    for command in ("/timezone", "/morning", "/evening", "/weekly", "/pause"):
        await alex.ask(f"{command} {MARKER}ville")
        await alex.ask("/cancel")
    await alex.ask(f"/{MARKER.lower()}")  # unknown command
    # free text, a sticker, a caption, crisis language
    await alex.ask(f"{MARKER} just saying hi")
    await alex.server.wait_processed(await alex.send_sticker())
    await alex.server.wait_processed(await alex.send_photo(caption=f"{MARKER} look"))
    await alex.ask(f"{MARKER} I want to die")
    # the export carries the marker (the first name) in its file
    await alex.ask("/export")
    await alex.tap("Also as CSV files (zip)")
    # error paths: a failing handler whose exception holds the text, a failing API call
    monkeypatch.setattr(safety, "detect_crisis", _boom)
    await alex.ask(f"{MARKER} while broken")
    monkeypatch.undo()
    rig.server.fail_next("sendMessage", 400, description="Bad Request: chat not found")
    await alex.ask(f"{MARKER} unlucky")
    # and finally erase everything
    await alex.ask("/delete")
    await alex.tap("Delete everything")

    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert MARKER not in logged
    assert MARKER.lower() not in logged.lower()
    assert rig.server.token not in logged
    assert "crisis_detected user_id=1001" in logged
    assert "handler_error" in logged and "ValueError" in logged
    assert "user_erased user_id=1001" in logged
    # the libraries did log at DEBUG: the test saw what they would have leaked
    assert any(r.name.startswith("telegram") and r.levelno == logging.DEBUG for r in caplog.records)

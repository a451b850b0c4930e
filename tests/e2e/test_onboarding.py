"""Onboarding end to end: the real Application over HTTP against the fake Bot API."""

from __future__ import annotations

from bot.store import users
from tests.e2e.rig import BotRig, sent, texts


async def test_onboarding_with_defaults(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    (welcome,) = await alex.ask("/start")
    assert "Hi Alex" in welcome.text
    assert "not" in welcome.text and "/export" in welcome.text and "/delete" in welcome.text
    assert welcome.buttons == [["Let's begin"]]

    replies = await alex.tap("Let's begin")
    assert "timezone" in texts(replies).lower()
    (confirm,) = await alex.ask("Berlin")
    assert "Europe/Berlin (now 10:00)" in confirm.text  # clock: 09:00 UTC, CET in March
    await alex.tap("Yes, that's right")
    await alex.tap("08:00 (default)")
    (done,) = sent(await alex.tap("21:00 (default)"))
    assert "Morning check-in: 08:00" in done.text
    assert "Evening reflection: 21:00" in done.text
    assert "Sundays at 19:00" in done.text

    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.onboarded_at is not None
    assert (stored.timezone, stored.morning_time, stored.evening_time) == (
        "Europe/Berlin",
        "08:00",
        "21:00",
    )
    assert stored.consent_at is not None and stored.notice_version == "1"
    assert rig.server.calls("setMyCommands")

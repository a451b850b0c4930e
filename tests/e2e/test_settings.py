"""Settings and their shortcuts, end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store import users
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeUser


@pytest.fixture
async def alex(rig: BotRig) -> FakeUser:
    user = rig.user(2001, "Alex")
    await rig.onboard(user, zone="Berlin")
    return user


def stored(rig: BotRig, user_id: int = 2001):  # type: ignore[no-untyped-def]
    user = users.get(rig.db, user_id)
    assert user is not None
    return user


async def test_settings_view_has_a_button_for_each_setting(rig: BotRig, alex: FakeUser) -> None:
    (view,) = await alex.ask("/settings")
    assert "Timezone: Europe/Berlin (now 10:00)" in view.text
    assert "Morning check-in: 08:00" in view.text
    assert "Weekly summary: Sundays at 19:00" in view.text
    assert "Check-ins: on" in view.text
    assert view.buttons == [
        ["Timezone", "Weekly summary"],
        ["Morning time", "Evening time"],
        ["Pause"],
        ["👥 People"],
        ["Safety plan"],
    ]


async def test_timezone_shortcut_with_argument(rig: BotRig, alex: FakeUser) -> None:
    (reply,) = await alex.ask("/timezone Tokyo")
    assert "Asia/Tokyo (now 18:00)" in reply.text
    assert stored(rig).timezone == "Asia/Tokyo"


async def test_timezone_guided_with_unknown_zone_then_suggestion(
    rig: BotRig, alex: FakeUser
) -> None:
    (question,) = await alex.ask("/timezone")
    assert "timezone" in question.text.lower()
    (reply,) = await alex.ask("Lonon")
    assert ["Europe/London"] in reply.buttons
    replies = sent(await alex.tap("Europe/London"))
    assert "Europe/London" in texts(replies)
    assert stored(rig).timezone == "Europe/London"


async def test_timezone_guided_keep_changes_nothing(rig: BotRig, alex: FakeUser) -> None:
    await alex.ask("/timezone")
    replies = sent(await alex.tap("Keep as it is"))
    assert "nothing changed" in texts(replies)
    assert stored(rig).timezone == "Europe/Berlin"
    # the conversation is over: text now goes to the general reply
    (after,) = await alex.ask("Tokyo")
    assert stored(rig).timezone == "Europe/Berlin"
    assert "/checkin" in after.text


async def test_morning_and_evening_shortcuts(rig: BotRig, alex: FakeUser) -> None:
    (reply,) = await alex.ask("/morning 7:30")
    assert "07:30" in reply.text
    (reply,) = await alex.ask("/evening 10pm")
    assert "22:00" in reply.text
    assert (stored(rig).morning_time, stored(rig).evening_time) == ("07:30", "22:00")


async def test_invalid_time_in_shortcut_gets_example_then_guided_answer_works(
    rig: BotRig, alex: FakeUser
) -> None:
    (reply,) = await alex.ask("/evening 25:99")
    assert "25:99" in reply.text and "07:30" in reply.text
    (done,) = await alex.ask("19h")
    assert "19:00" in done.text
    assert stored(rig).evening_time == "19:00"


async def test_guided_morning_from_settings_button(rig: BotRig, alex: FakeUser) -> None:
    await alex.ask("/settings")
    replies = sent(await alex.tap("Morning time"))
    assert "morning" in texts(replies).lower()
    (done,) = await alex.ask("06:05")
    assert "06:05" in done.text
    assert stored(rig).morning_time == "06:05"


async def test_weekly_shortcut_guided_and_invalid(rig: BotRig, alex: FakeUser) -> None:
    (reply,) = await alex.ask("/weekly fri 6pm")
    assert "Fridays at 18:00" in reply.text
    assert (stored(rig).weekly_day, stored(rig).weekly_time) == (4, "18:00")
    (reply,) = await alex.ask("/weekly someday")
    assert "Sunday 19:00" in reply.text
    replies = sent(await alex.tap("Sunday 19:00 (default)"))
    assert "Sundays at 19:00" in texts(replies)
    assert (stored(rig).weekly_day, stored(rig).weekly_time) == (6, "19:00")


async def test_pause_resume_and_pause_for_days(rig: BotRig, alex: FakeUser) -> None:
    (reply,) = await alex.ask("/pause")
    assert "until you send /resume" in reply.text
    assert stored(rig).paused and stored(rig).paused_until is None
    (view,) = await alex.ask("/settings")
    assert "paused until you /resume" in view.text
    assert ["Resume"] in view.buttons
    replies = sent(await alex.tap("Resume"))
    assert "Welcome back" in texts(replies)
    assert not stored(rig).paused

    (reply,) = await alex.ask("/pause 3")
    assert "paused until" in reply.text
    assert stored(rig).paused_until == rig.clock() + timedelta(days=3)
    (reply,) = await alex.ask("/pause forever")
    assert "1 to 365" in reply.text
    (reply,) = await alex.ask("/resume")
    assert "on again" in reply.text
    (reply,) = await alex.ask("/resume")
    assert "aren't paused" in reply.text


async def test_settings_before_onboarding_points_to_start(rig: BotRig) -> None:
    new = rig.user(2999, "New")
    for command in ("/settings", "/morning 7:00", "/pause"):
        (reply,) = await new.ask(command)
        assert "/start" in reply.text


async def test_cancel_leaves_a_guided_step_and_says_so(rig: BotRig, alex: FakeUser) -> None:
    await alex.ask("/morning")
    (reply,) = await alex.ask("/cancel")
    assert "stopped" in reply.text
    (after,) = await alex.ask("7:45")
    assert stored(rig).morning_time == "08:00"
    assert "/checkin" in after.text
    (again,) = await alex.ask("/cancel")
    assert "nothing open" in again.text


async def test_help_lists_every_command(rig: BotRig, alex: FakeUser) -> None:
    (reply,) = await alex.ask("/help")
    commands = [c["command"] for c in rig.server.calls("setMyCommands")[-1].params["commands"]]
    for command in commands:
        assert f"/{command} — " in reply.text
    assert {"start", "settings", "timezone", "pause", "resume", "help", "cancel"} <= set(commands)

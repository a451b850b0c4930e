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


async def test_onboarding_with_typed_answers(rig: BotRig) -> None:
    sam = rig.user(1002, "Sam")
    await sam.ask("/start")
    await sam.tap("Let's begin")
    (confirm,) = await sam.ask("+05:30")
    assert "UTC+05:30 (now 14:30)" in confirm.text
    await sam.tap("Yes, that's right")
    (evening_q,) = sent(await sam.ask("7.15am"))
    assert "evening" in evening_q.text.lower()
    (done,) = sent(await sam.ask("9:45pm"))
    assert "Morning check-in: 07:15" in done.text
    assert "Evening reflection: 21:45" in done.text
    stored = users.get(rig.db, 1002)
    assert stored is not None
    assert (stored.timezone, stored.morning_time, stored.evening_time) == (
        "UTC+05:30",
        "07:15",
        "21:45",
    )


async def test_unknown_zone_offers_suggestions_and_a_pick_works(rig: BotRig) -> None:
    kim = rig.user(1003, "Kim")
    await kim.ask("/start")
    await kim.tap("Let's begin")
    (reply,) = await kim.ask("Berlinn")
    assert "couldn't find" in reply.text
    assert ["Europe/Berlin"] in reply.buttons
    replies = sent(await kim.tap("Europe/Berlin"))
    assert "morning check-in" in texts(replies)
    assert users.get(rig.db, 1003).timezone == "Europe/Berlin"  # type: ignore[union-attr]


async def test_no_match_at_all_explains_the_forms(rig: BotRig) -> None:
    kim = rig.user(1004, "Kim")
    await kim.ask("/start")
    await kim.tap("Let's begin")
    (reply,) = await kim.ask("qqqqzzzz")
    assert "Europe/Berlin" in reply.text and "+05:30" in reply.text


async def test_invalid_time_gets_an_example_and_the_step_stays(rig: BotRig) -> None:
    ana = rig.user(1005, "Ana")
    await ana.ask("/start")
    await ana.tap("Let's begin")
    await ana.ask("Lisbon")
    await ana.tap("Yes, that's right")
    (reply,) = await ana.ask("25:99")
    assert "25:99" in reply.text and "07:30" in reply.text
    (evening_q,) = sent(await ana.ask("6:45"))
    assert "evening" in evening_q.text.lower()


async def test_sticker_where_text_is_expected_gets_a_gentle_reprompt(rig: BotRig) -> None:
    ana = rig.user(1006, "Ana")
    await ana.ask("/start")
    await ana.tap("Let's begin")
    update_id = await ana.send_sticker()
    await rig.server.wait_processed(update_id)
    (reply,) = ana.unread()
    assert "only read text" in reply.text
    (confirm,) = await ana.ask("Tokyo")
    assert "Asia/Tokyo" in confirm.text


async def test_restart_in_the_middle_of_onboarding_continues_at_the_same_step(
    rig: BotRig,
) -> None:
    lee = rig.user(1007, "Lee")
    await lee.ask("/start")
    await lee.tap("Let's begin")
    await lee.ask("New York")
    await lee.tap("Yes, that's right")
    await rig.restart()
    (evening_q,) = sent(await lee.ask("6:30"))  # still the morning step after the restart
    assert "evening" in evening_q.text.lower()
    await rig.restart()
    (done,) = sent(await lee.tap("21:00 (default)"))
    assert "Morning check-in: 06:30" in done.text
    assert users.get(rig.db, 1007).timezone == "America/New_York"  # type: ignore[union-attr]


async def test_start_again_after_onboarding_shows_settings_and_keeps_them(rig: BotRig) -> None:
    alex = rig.user(1008, "Alex")
    await rig.onboard(alex, zone="Berlin", morning="7:00")
    replies = await alex.ask("/start")
    assert "Welcome back, Alex" in texts(replies)
    assert "Morning check-in: 07:00" in texts(replies)
    stored = users.get(rig.db, 1008)
    assert stored is not None and stored.morning_time == "07:00"
    assert stored.timezone == "Europe/Berlin"

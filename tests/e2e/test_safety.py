"""Crisis language at any step is answered first with care; the conversation carries on."""

from __future__ import annotations

from tests.e2e.rig import BotRig, sent, texts

CARE = "I'm really glad you told me"
DIRECTORY = "findahelpline.com"


async def test_crisis_during_onboarding_is_answered_first_then_the_step_continues(
    rig: BotRig,
) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")
    await alex.tap("Let's begin")

    (care,) = sent(await alex.ask("I just want to die"))
    assert CARE in care.text and DIRECTORY in care.text and "988" in care.text
    assert "carry on" in care.text
    (reprompt,) = sent(await alex.tap("Carry on where we were"))
    assert "timezone" in reprompt.text  # the timezone question, asked again

    (confirm,) = await alex.ask("Berlin")
    assert "Europe/Berlin" in confirm.text
    await alex.tap("Yes, that's right")
    await alex.tap("08:00 (default)")
    (done,) = sent(await alex.tap("21:00 (default)"))
    assert "All set" in done.text


async def test_crisis_outside_any_conversation(rig: BotRig) -> None:
    alex = await rig.onboarded(1001, "Alex")
    (care,) = sent(await alex.ask("my partner hit me last night"))
    assert CARE in care.text and care.labels == []  # nothing to carry on; nothing below it


async def test_crisis_in_a_photo_caption(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    update_id = await alex.send_photo(caption="I keep thinking about killing myself")
    await rig.server.wait_processed(update_id)
    events = sent(alex.unread())
    assert CARE in events[0].text


async def test_settings_step_continues_after_crisis(rig: BotRig) -> None:
    alex = await rig.onboarded(1001, "Alex")
    await alex.ask("/morning")
    (care,) = sent(await alex.ask("I don't want to be alive"))
    assert CARE in care.text
    (reprompt,) = sent(await alex.tap("Carry on where we were"))
    assert "morning" in reprompt.text and "couldn't" not in reprompt.text
    (moved,) = await alex.ask("7:15")
    assert "07:15" in moved.text


async def test_resources_follow_the_users_language(rig: BotRig) -> None:
    anna = rig.user(1002, "Anna", language_code="de")
    care, *_ = sent(await anna.ask("ich will sterben"))
    assert "TelefonSeelsorge" in care.text


async def test_everyday_words_are_not_crisis(rig: BotRig) -> None:
    alex = await rig.onboarded(1001, "Alex")
    for text in ("I could die of embarrassment, lol", "that deadline is killing me", "hi"):
        assert CARE not in texts(await alex.ask(text))


async def test_sos_any_time_without_leaving_the_conversation(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")
    await alex.tap("Let's begin")
    (resources,) = await alex.ask("/sos")
    assert resources.labels == ["Try a grounding exercise"]  # the plan comes after /start
    assert DIRECTORY in resources.text and "emergency" in resources.text
    (confirm,) = await alex.ask("Berlin")
    assert "Europe/Berlin" in confirm.text  # still at the timezone step


async def test_help_lists_sos_export_and_delete(rig: BotRig) -> None:
    (help_text,) = await rig.user(1001).ask("/help")
    for command in ("/sos", "/safetyplan", "/export", "/delete"):
        assert command in help_text.text
    menu = rig.server.calls("setMyCommands")[-1].params["commands"]
    assert {"sos", "safetyplan", "export", "delete"} <= {c["command"] for c in menu}

"""Wrong input gets a clear, kind reply; nothing crashes and nothing stored is lost."""

from __future__ import annotations

from bot.store import users
from tests.e2e.rig import BotRig


async def test_unknown_command(rig: BotRig) -> None:
    alex = rig.user(3001)
    (reply,) = await alex.ask("/dance")
    assert "don't know that command" in reply.text and "/help" in reply.text


async def test_a_4096_character_message_is_answered(rig: BotRig) -> None:
    alex = await rig.onboarded(3002)
    (reply,) = await alex.ask("ü" * 4096)
    assert reply.text
    (reply,) = await alex.ask("/timezone " + "x" * 4000)
    assert "couldn't find" in reply.text
    assert len(reply.text) < 4096
    assert users.get(rig.db, 3002).timezone == "Europe/Berlin"  # type: ignore[union-attr]


async def test_stale_button_says_it_has_ended(rig: BotRig) -> None:
    alex = await rig.onboarded(3003)
    welcome = alex.events[0]
    assert "Let's begin" in str(welcome.params.get("reply_markup"))
    # The old keyboard was removed, but a client may still show it: press it anyway.
    before = len(alex.events)
    update_id = await alex.press_data("ob:consent", welcome.message_id)
    await rig.server.wait_processed(update_id)
    assert any("already ended" in (e.text or "") for e in alex.events[before:])
    assert rig.server.answered_callbacks[-1]["text"] == "This has ended"


async def test_forged_button_data_is_refused_kindly(rig: BotRig) -> None:
    alex = await rig.onboarded(3004)
    update_id = await alex.press_data("st:tzset:Not/AZone")
    await rig.server.wait_processed(update_id)
    update_id = await alex.press_data("xx:" + "9" * 50)
    await rig.server.wait_processed(update_id)
    assert users.get(rig.db, 3004).timezone == "Europe/Berlin"  # type: ignore[union-attr]
    assert not rig.server.calls("sendMessage", ok=False)


async def test_sticker_photo_and_voice_outside_conversations(rig: BotRig) -> None:
    alex = rig.user(3005)
    for send in (alex.send_sticker, alex.send_photo, alex.send_voice):
        update_id = await send()
        await rig.server.wait_processed(update_id)
    replies = alex.unread()
    assert len(replies) == 3
    assert all("only read text" in r.text for r in replies)


async def test_no_request_was_refused_by_telegram_during_a_whole_onboarding(rig: BotRig) -> None:
    alex = await rig.onboarded(3006, first_name="<b>Al & *ex*</b>")
    await alex.ask("<i>not html</i> & *markdown_")
    assert [r.method for r in rig.server.requests if not r.ok] == []


async def test_an_error_in_a_handler_is_reported_kindly_and_the_bot_keeps_going(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded(3007)
    rig.server.fail_next("sendMessage", 500, "Internal Server Error")
    replies = await alex.ask("/settings")
    assert [r.text for r in replies] == [
        "Something went wrong on my side, sorry. Nothing you wrote before this is lost — "
        "please try again in a moment."
    ]
    (view,) = await alex.ask("/settings")
    assert "Morning check-in: 08:00" in view.text

"""Texts go out as plain text, so nothing a user types can make Telegram refuse a reply;
an edit that changes nothing is not an error; offsets with a colon survive a button."""

from __future__ import annotations

from bot.store import users
from tests.e2e.rig import BotRig, sent

MARKUP = ["<b>Berlin</b>", "*_[Berlin](x)_*", "Berlin & <i>", "`7:30`", "&lt;&amp;", "<a href=x>"]


def no_refusals(rig: BotRig) -> list[str]:
    return [
        f"{r.method}: {r.description}"
        for r in rig.server.requests
        if not r.ok and r.method != "getUpdates"
    ]


async def test_markup_in_what_users_type_is_echoed_verbatim_and_never_refused(
    rig: BotRig,
) -> None:
    alex = rig.user(1001, "<b>Al</b> & *_[x]")
    (welcome,) = sent(await alex.ask("/start"))
    assert "<b>Al</b> & *_[x]" in welcome.text
    await alex.tap("Let's begin")
    for raw in MARKUP:  # not timezones: each reply quotes the text back
        (reply,) = sent(await alex.ask(raw))
        assert raw.strip() in reply.text
    await alex.ask("Berlin")
    await alex.tap("Yes, that's right")
    for raw in MARKUP:  # not times
        (reply,) = sent(await alex.ask(raw))
        assert raw.strip() in reply.text
    await alex.ask("7:30")
    await alex.tap("21:00 (default)")

    await alex.ask("/weekly")
    for raw in MARKUP:  # not day-and-time slots
        (reply,) = sent(await alex.ask(raw))
        assert raw.strip() in reply.text
    await alex.tap("Keep as it is")
    await alex.ask("/timezone")
    (reply,) = sent(await alex.ask("<b>Atlantis</b>"))
    assert "<b>Atlantis</b>" in reply.text
    await alex.tap("Keep as it is")
    await alex.ask("/morning <i>7</i>")
    await alex.ask("/evening *9*")

    assert no_refusals(rig) == []
    assert rig.server.calls("sendMessage")
    assert all("parse_mode" not in r.params for r in rig.server.requests)


async def test_an_edit_that_changes_nothing_is_quietly_ignored(rig: BotRig) -> None:
    alex = rig.user(1001)
    await alex.ask("/start")
    await alex.tap("Let's begin")
    (confirm,) = sent(await alex.ask("Berlin"))
    await alex.tap("No, let me type again", confirm)

    # The same button again (a double tap that raced the edit): the text is already there.
    before = len(alex.events)
    await rig.server.wait_processed(await alex.press_data("ob:retype", confirm))
    assert alex.events[before:] == []  # no error message, no second copy of the text
    refused = [r.description for r in rig.server.requests if not r.ok]
    assert len(refused) == 1 and "not modified" in (refused[0] or "")
    (confirm,) = sent(await alex.ask("Berlin"))  # and the conversation carries on
    assert "Europe/Berlin" in confirm.text


async def test_an_offset_with_minutes_can_be_confirmed_with_its_button(rig: BotRig) -> None:
    alex = rig.user(1001)
    await alex.ask("/start")
    await alex.tap("Let's begin")
    (confirm,) = sent(await alex.ask("UTC+5:30"))
    assert "UTC+05:30" in confirm.text
    await alex.tap("Yes, that's right")
    await alex.tap("08:00 (default)")
    (done,) = sent(await alex.tap("21:00 (default)"))
    assert "UTC+05:30" in done.text
    stored = users.get(rig.db, alex.id)
    assert stored is not None and stored.timezone == "UTC+05:30"

    await alex.ask("/timezone")
    await alex.ask("-3:30")  # settings confirm directly; its suggestion buttons share the parser
    stored = users.get(rig.db, alex.id)
    assert stored is not None and stored.timezone == "UTC-03:30"
    assert no_refusals(rig) == []

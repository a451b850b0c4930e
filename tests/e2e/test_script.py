"""/script end to end: the menu, templates by name, my own words, the "I"-statement check."""

from __future__ import annotations

from bot.store import repairs
from tests.e2e.helpers import plan_full_repair, plans
from tests.e2e.rig import BotRig, sent, texts

TITLES = [
    "Repair after a conflict",
    'An "I" statement',
    "Asking for support",
    "An apology that takes responsibility",
    "Asking for a heads-up or a commitment",
    "Following up after a repair",
]


async def test_menu_and_every_template(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    (menu,) = await alex.ask("/script")
    assert "angle brackets" in menu.text
    assert menu.labels == TITLES
    for title in TITLES:
        (shown,) = sent(await alex.tap(title, menu))
        assert shown.text.startswith(title)
        assert "<" in shown.text and "Example:" in shown.text
        assert "All templates" in shown.labels


async def test_templates_by_name_and_unknown_names(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    for name, title in [
        ("repair", TITLES[0]),
        ("support", TITLES[2]),
        ("apology", TITLES[3]),
        ("heads-up", TITLES[4]),
        ("Follow-up", TITLES[5]),
    ]:
        (shown,) = await alex.ask(f"/script {name}")
        assert shown.text.startswith(title), name
    (menu,) = await alex.ask("/script poem 🌹")
    assert "I don't have a template called “poem”" in menu.text
    assert menu.labels == TITLES


async def test_istatement_checks_a_sentence(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    template, ask = await alex.ask("/script istatement")
    assert template.text.startswith(TITLES[1])
    assert "Type the sentence" in ask.text
    (reply,) = sent(await alex.ask("You never call me back, it's your fault"))
    assert "“You never”" in reply.text and "“it's your fault”" in reply.text
    assert "I feel <feeling> when you don't call me back, and I need <need>." in reply.text
    assert "a draft for you to change" in reply.text  # a suggestion, never their sentence
    assert reply.labels == ["Check another"]

    replies = await alex.tap("Check another")
    assert "Type the sentence" in texts(replies)
    (reply,) = sent(await alex.ask("I feel lonely when plans change, and I need a heads-up."))
    assert "already" in reply.text
    replies = await alex.ask("just some words")
    assert "I'm here when you want me" in texts(replies)  # the check ended: stray text

    (reply,) = await alex.ask("/script istatement you are so lazy")
    assert "“you are so”" in reply.text


async def test_check_while_another_conversation_is_open(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    replies = await alex.ask("/script istatement")
    assert len(sent(replies)) == 1  # the template only; the trigger log keeps the text
    replies = await alex.tap("✍️ Check a sentence of mine")
    assert "something else open" in texts(replies)
    replies = await alex.ask("They left without a word.")
    assert "What did you feel" in texts(replies)


async def test_recent_plan_fills_the_repair_template(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await plan_full_repair(alex)
    (menu,) = await alex.ask("/script")
    assert menu.labels[0] == "✨ My repair script for Partner (2 Mar)"
    (mine,) = sent(await alex.tap(menu.labels[0], menu))
    assert "Your repair script for your partner" in mine.text
    assert "I changed our plans at the last minute." in mine.text

    (template,) = await alex.ask("/script repair")
    assert "Fill it with my words" in template.labels
    (mine,) = sent(await alex.tap("Fill it with my words"))
    assert "you felt let down" in mine.text

    rig.clock.advance(days=31)
    (menu,) = await alex.ask("/script")
    assert menu.labels == TITLES  # older than 30 days: no longer offered


async def test_forged_plan_id_shows_nothing_of_another_user(rig: BotRig) -> None:
    sam = await rig.onboarded(2002, "Sam")
    await plan_full_repair(sam)
    (sams,) = plans(rig, 2002)
    alex = rig.user(1001, "Alex")
    await alex.ask("/script")
    await alex.press_data(f"sc:mine:{sams.id}")
    replies = await alex.replies_until_idle()
    assert "couldn't find that plan" in texts(replies)
    assert "last minute" not in texts(replies)
    assert repairs.get(rig.db, 1001, sams.id or 0) is None
    assert plans(rig, 2002) == [sams]  # untouched

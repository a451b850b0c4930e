"""/language: the language Steady speaks, chosen with a button or typed; stored per user."""

from __future__ import annotations

from bot.store import users
from tests.e2e.rig import BotRig


async def test_the_buttons_name_each_language_in_itself_and_a_tap_stores_it(rig: BotRig) -> None:
    alex = rig.user(1001)
    (menu,) = await alex.ask("/language")
    assert menu.labels == [
        "English",
        "Deutsch",
        "español",
        "français",
        "português (Brasil)",
        "русский",
    ]
    await alex.tap("Deutsch", menu)
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.language == "de"


async def test_a_typed_code_sets_it_and_an_unknown_one_gets_the_choices(rig: BotRig) -> None:
    alex = rig.user(1001)
    await alex.ask("/language pt-BR")
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.language == "pt"
    (reply,) = await alex.ask("/language klingon")
    assert "klingon" in (reply.text or "") and len(reply.labels) == 6
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.language == "pt"  # unchanged


async def test_a_forged_language_button_changes_nothing(rig: BotRig) -> None:
    alex = rig.user(1001)
    (menu,) = await alex.ask("/language")
    await alex.press_data("lang:zz", menu)
    await alex.wait_idle()
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.language is None


async def test_the_menu_and_the_profile_are_published_for_every_language(rig: BotRig) -> None:
    await rig.user(1001).ask("/help")
    menus = {
        call.params.get("language_code") or "": call.params["commands"]
        for call in rig.server.calls("setMyCommands")
    }
    assert set(menus) == {"", "de", "es", "fr", "pt", "ru"}
    assert all(
        [c["command"] for c in m] == [c["command"] for c in menus[""]] for m in menus.values()
    )
    descriptions = rig.server.state.descriptions
    for code in ("", "de", "es", "fr", "pt", "ru"):
        assert descriptions[("description", code)]
        assert descriptions[("short_description", code)]


async def test_a_scheduled_prompt_comes_in_the_stored_language(rig: BotRig) -> None:
    """The sweep speaks each recipient's language, whatever the last update was in."""
    from datetime import UTC, datetime

    from bot.content import t
    from tests.e2e.rig import sent

    alex = rig.user(1001, "Alex")
    await rig.onboard(alex)
    await alex.ask("/language ru")
    sam = rig.user(1002, "Sam")
    await rig.onboard(sam)  # an English update handled last
    report = await rig.sweep(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))  # both mornings are due
    assert report.sent == 2
    (russian,) = sent(await alex.replies_until_idle())
    (english,) = sent(await sam.replies_until_idle())
    assert russian.text is not None and russian.text.startswith(
        t("checkin.prompt_morning", lang="ru", name="Alex")
    )
    assert russian.labels[0] == t("checkin.button_start", lang="ru") != "Start"
    assert english.text is not None and english.text.startswith("Good morning, Sam")


async def test_switching_language_in_the_middle_of_a_check_in(rig: BotRig) -> None:
    """/language during a check-in: the next question comes in the new language and the
    check-in carries on where it was."""
    from bot.content import t

    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Scared")
    await alex.tap("anxious")
    await alex.tap("Done (1 chosen)")  # now at the intensity question, in English
    await alex.ask("/language de")
    (question,) = await alex.tap("6")  # the answered question, edited to show the next one
    assert t("checkin.ask_need", lang="de") in (question.text or "")
    assert question.labels == [t("common.skip", lang="de")]

"""Buttons pressed with another user's callback data read and change nothing of theirs."""

from __future__ import annotations

from bot.store import export as store
from tests.e2e.forgery import assert_forgeries_harmless, callback_data_seen_by, press_forged
from tests.e2e.rig import BotRig
from tests.seed.every_table import seed_user


async def test_onboarding_settings_and_data_buttons_across_users(rig: BotRig) -> None:
    victim, intruder = rig.user(1001, "Vicky9931"), rig.user(2002, "Ivo")
    await rig.onboard(intruder)
    await victim.ask("/start")
    await victim.tap("Let's begin")
    await victim.ask("Berlni")  # suggestions → ob:tz:<zone> buttons
    await victim.ask("Berlin")
    await victim.tap("No, let me type again")
    await victim.ask("Tokyo")
    await victim.tap("Yes, that's right")
    await victim.tap("08:00 (default)")
    await victim.tap("21:00 (default)")
    await victim.ask("/settings")
    await victim.tap("Weekly summary")
    await victim.tap("Keep as it is")
    await victim.ask("/timezone Parsi")
    await victim.ask("/pause")
    await victim.ask("/settings")
    await victim.ask("/export")
    await victim.ask("/delete")

    datas = await assert_forgeries_harmless(rig, victim, intruder, secrets=["Vicky9931"])

    prefixes = {d.split(":")[0] + ":" + d.split(":")[1] for d in datas}
    assert {"ob:consent", "ob:tz", "ob:mdef", "st:wdef", "st:keep", "data:csv", "data:del"} <= (
        prefixes
    )
    assert store.counts(rig.db, 2002)["users"] == 1  # the intruder's own data is still there


async def test_someone_elses_delete_and_export_buttons_do_nothing(rig: BotRig) -> None:
    victim, intruder = rig.user(1001, "Vic"), rig.user(2002, "Ivo")
    seed_user(rig.db, 1001, rig.clock(), "VICTIM-SECRET")
    seed_user(rig.db, 2002, rig.clock(), "intruder words")
    await victim.ask("/export")
    await victim.ask("/delete")
    intruder_rows = store.counts(rig.db, 2002)
    await intruder.ask("/help")

    for data in callback_data_seen_by(victim):
        events = await press_forged(intruder, data)
        assert not events, f"{data} answered with messages"
        assert rig.server.answered_callbacks[-1].get("text") == "This button isn't yours."

    await assert_forgeries_harmless(rig, victim, intruder, secrets=["VICTIM-SECRET"])
    assert store.counts(rig.db, 2002) == intruder_rows  # nor were the intruder's own rows erased

"""Every button of every feature, pressed by someone else with the victim's callback data, reads
and changes nothing of the victim's (tests/e2e/forgery.py replays all of them).

The victim goes through each feature for real — check-in prompts from the sweep (with a snooze),
both check-ins, the trigger log with its resume question, a repair plan with the follow-up the
sweep sends, /script filled with their own words, /history — and leaves a conversation open, so
the replay also meets the victim's live state. (/summary has no buttons.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import prompts
from tests import seed
from tests.e2e.forgery import assert_forgeries_harmless, assert_huge_ids_are_stale
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import BotEvent, FakeUser

MORNING_DUE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
FOLLOWUP_DUE = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)  # "Tomorrow" 19:00 + 2 h, Berlin

SECRET_NEED = "VICTIM-NEED a quiet walk with Rosalind"
SECRET_NOTE = "VICTIM-NOTE lunch with Rosalind was tense"
SECRET_SITUATION = "VICTIM-SITUATION Rosalind read my message and left"
SECRET_STORY = "VICTIM-STORY she is leaving me"
SECRET_REPAIR = "VICTIM-REPAIR I cancelled on Rosalind"
SECRET_LESSON = "VICTIM-LESSON asking calmly works"
SECRETS = [
    "Rosalind",
    SECRET_NEED,
    SECRET_NOTE,
    SECRET_SITUATION,
    SECRET_STORY,
    SECRET_REPAIR,
    SECRET_LESSON,
]


async def pair(rig: BotRig) -> tuple[FakeUser, FakeUser]:
    return await rig.onboarded(1001, "Vicky"), await rig.onboarded(2002, "Ivo")


def latest(user: FakeUser, text: str) -> BotEvent:
    """The newest bot message in the user's chat whose text contains ``text``."""
    found = [e for e in user.events if e.kind != "edit" and text in (e.text or "")]
    assert found, f"no message with {text!r}"
    return found[-1]


async def replay_twice(rig: BotRig, victim: FakeUser, intruder: FakeUser, busy: str) -> list[str]:
    """Replay as an idle intruder, then again while the intruder has ``busy`` open."""
    datas = await assert_forgeries_harmless(rig, victim, intruder, secrets=SECRETS)
    await intruder.ask(busy)
    await assert_forgeries_harmless(rig, victim, intruder, datas, secrets=SECRETS)
    assert "Something went wrong" not in texts(intruder.events)  # no handler tripped over one
    await assert_huge_ids_are_stale(victim, datas)  # and ids no row can have (issue 21)
    return datas


def prefixes(datas: list[str]) -> set[str]:
    return {":".join(d.split(":")[:2]) for d in datas}


async def test_check_in_prompts_and_both_check_ins(rig: BotRig) -> None:
    victim, intruder = await pair(rig)
    await rig.sweep(MORNING_DUE)
    await victim.tap("Snooze 30 min", latest(victim, "Good morning"))
    await rig.sweep(MORNING_DUE + timedelta(minutes=30))
    await victim.tap("Start", latest(victim, "you snoozed"))
    await victim.tap("Scared")
    await victim.tap("anxious")
    await victim.tap("← All families")
    await victim.tap("Done (1 chosen)")
    await victim.tap("6")
    await victim.ask(SECRET_NEED)
    await victim.tap("Ask for support once")
    await victim.ask("/checkin evening")
    await victim.tap("Mixed")
    await victim.ask(SECRET_NOTE)
    await victim.tap("Yes")
    await victim.tap("I tried")
    await victim.tap("Partly")
    await victim.tap("Skip")  # lesson → the "Log it now" offer
    await victim.ask("/checkin evening")  # left open at its first question
    await rig.sweep(MORNING_DUE + timedelta(days=1))  # a fresh prompt with live buttons

    datas = await replay_twice(rig, victim, intruder, "/checkin evening")
    assert {"ci:go", "ci:snz", "ci:skp", "ci:fam", "ci:emo", "ci:int", "ci:com"} <= prefixes(datas)
    assert {"ci:ia", "ci:trg", "ci:rep", "ci:kept", "ci:skip", "tr:start", "tr:later"} <= (
        prefixes(datas)
    )


async def test_trigger_log_and_its_resume_question(rig: BotRig) -> None:
    victim, intruder = await pair(rig)
    await victim.ask("/trigger")
    await victim.ask(SECRET_SITUATION)
    await victim.tap("Scared")
    await victim.tap("anxious")
    await victim.tap("← All families")
    await victim.tap("Done (1 chosen)")
    await victim.tap("7")
    await victim.ask("Tight chest")
    await victim.tap("Partner")
    await victim.ask(SECRET_STORY)
    await victim.tap("ℹ️ What are these?")
    await victim.tap("Mind reading")
    await victim.tap("Done (1 chosen)")
    await victim.tap("Skip")  # evidence for
    await victim.tap("Skip")  # evidence against
    await victim.tap("Skip")  # a kinder reading
    await victim.tap("Paused before reacting")
    await victim.tap("4")
    await victim.tap("Texting")  # the summary: a completed log
    await victim.ask("/trigger")
    await victim.ask(SECRET_SITUATION + " again")
    await victim.ask("/cancel")
    await victim.ask("/trigger")  # the resume question stays open
    await victim.ask("/repair")  # the switch question, left open too

    datas = await replay_twice(rig, victim, intruder, "/trigger")
    assert {"tr:fam", "tr:emo", "tr:fams", "tr:emodone", "tr:ib", "tr:dis", "tr:dinfo"} <= (
        prefixes(datas)
    )
    assert {"tr:ddone", "tr:act", "tr:ia", "tr:who", "tr:ctx", "tr:skip", "tr:resume"} <= (
        prefixes(datas)
    )
    assert {"tr:fresh", "rp:switch", "rp:stay"} <= prefixes(datas)


async def test_repair_plan_follow_ups_from_the_sweep_and_scripts(rig: BotRig) -> None:
    victim, intruder = await pair(rig)
    await victim.ask("/repair")
    await victim.ask("Rosalind")
    await victim.ask(SECRET_REPAIR)
    await victim.ask("you felt let down")
    await victim.ask("I didn't tell you early")
    await victim.ask("You never listen")  # the coach: "Keep mine"
    await victim.tap("Keep mine")
    await victim.ask("I'll text you by noon")
    await victim.ask("What would help you trust me again?")
    await victim.tap("Tomorrow")
    await victim.tap("Yes, check in with me")

    await rig.sweep(FOLLOWUP_DUE)
    await victim.tap("Not yet", latest(victim, "Did the repair happen"))
    await victim.tap("Yes, ask again")
    (again,) = prompts.pending_for_user(rig.db, 1001, "repair_followup")
    await rig.sweep(again.due_at)
    await victim.tap("It happened", latest(victim, "Did the repair happen"))
    await victim.ask(SECRET_LESSON)
    await victim.ask("/script")
    mine = sent(await victim.tap("✨ My repair script for Rosalind (2 Mar)"))
    assert SECRET_REPAIR in mine[0].text  # the victim sees their own words
    await victim.ask("/script repair")
    await victim.ask("/script istatement")  # waits for a sentence, with "Never mind"

    datas = await replay_twice(rig, victim, intruder, "/repair")
    assert {"rp:who", "rp:keep", "rp:when", "rpf:yes", "rpf:no", "rpf:o", "rpf:again"} <= (
        prefixes(datas)
    )
    assert {"rpf:noagain", "sc:mine", "sc:t", "sc:menu", "sc:check", "sc:stop"} <= prefixes(datas)


async def test_history_pages_and_entries(rig: BotRig) -> None:
    victim, intruder = await pair(rig)
    day = rig.clock().date()
    for offset in range(6):
        seed.checkin(rig.db, 1001, day - timedelta(days=offset + 1), "morning", need=SECRET_NEED)
    seed.trigger(rig.db, 1001, day - timedelta(days=2), situation=SECRET_SITUATION)
    seed.repair(rig.db, 1001, day - timedelta(days=3), person="Rosalind")
    await victim.ask("/history")
    await victim.tap("Next ▶")
    await victim.tap("◀ Previous")
    for label in [b for b in latest(victim, "Your entries").labels if "·" in b][:3]:
        await victim.tap(label)
        await victim.tap("◀ Back to the list")

    datas = await replay_twice(rig, victim, intruder, "/history")
    assert {"hi:p", "hi:c", "hi:t", "hi:r"} <= prefixes(datas)

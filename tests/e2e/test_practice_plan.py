"""Planning a practice end to end: the reminder at its time and the follow-up afterwards, both
driven by the sweep at chosen times; "Log it" starting at the distress before (and leaving a
check-in begun meanwhile); "Not this time"; a plan without a time; every button of /practice
pressed by someone else with the victim's callback data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import PracticeLog, PracticePlan
from tests.e2e.forgery import assert_forgeries_harmless, assert_huge_ids_are_stale
from tests.e2e.rig import BotRig, sent, shown, texts
from tests.e2e.test_practice import answer, rows, two_rungs
from tests.fakebot.state import BotEvent
from tests.fakebot.user import FakeUser

PLANNED_AT = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # tomorrow 19:00 in Berlin


#: Two hours after 19:00 is the evening check-in (21:00): the follow-up comes half an hour
#: before it instead.
FOLLOWUP_AT = PLANNED_AT + timedelta(minutes=90)
EVENING_AT = PLANNED_AT + timedelta(hours=2)


async def followup_of(rig: BotRig, user: FakeUser) -> list[BotEvent]:
    """Sweep at the follow-up's time: the practice's follow-up, alone."""
    assert (await rig.sweep(FOLLOWUP_AT - timedelta(minutes=1))).sent == 0
    await rig.sweep(FOLLOWUP_AT)
    return sent(await user.replies_until_idle())


async def test_plan_a_practice_reminder_then_follow_up_then_log_it(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await alex.ask("/practice")
    replies = shown(await alex.tap("Plan a practice"))
    assert "remind you at the time" in texts(replies)
    assert "Suggested, at your pace: Tell someone" in replies[-1].text
    (saved,) = await answer(alex, "Ask Sam to hug me first", "Sam", "tomorrow 7pm")
    assert "Planned: Ask Sam to hug me first with Sam" in saved.text
    assert "remind you on Tue 3 Mar, 19:00" in saved.text
    assert "ask how it went on Tue 3 Mar, 20:30" in saved.text  # clear of the evening check-in
    (plan,) = rows(rig, PracticePlan)
    assert plan.planned_at == PLANNED_AT and plan.when_text == "tomorrow 7pm"

    assert (await rig.sweep(PLANNED_AT - timedelta(minutes=1))).sent == 0
    await rig.sweep(PLANNED_AT)
    (reminder,) = sent(await alex.replies_until_idle())
    assert (
        "gentle reminder" in reminder.text and "Ask Sam to hug me first with Sam" in reminder.text
    )
    assert reminder.labels == ["Not this time"]

    (followup,) = await followup_of(rig, alex)
    assert "How did the practice go — Ask Sam to hug me first with Sam?" in followup.text
    assert followup.labels == ["Log it", "Not this time"]
    await rig.sweep(EVENING_AT)
    await alex.replies_until_idle()
    await alex.tap("Start")  # the evening check-in, begun before the practice is logged
    replies = shown(await alex.tap("Log it", message=followup))
    assert "Let's note how it went: Ask Sam to hug me first." in texts(replies)
    assert "distress just before" in replies[-1].text  # rung and person already known
    await alex.tap("6")
    await alex.tap("7")
    await alex.tap("3")
    await alex.ask("My shoulders dropped")  # reaches the practice, not the check-in
    for _ in range(4):
        await alex.tap("Skip")
    (saved,) = shown(await alex.tap("Step up"))
    assert "Rung: Ask Sam to hug me first" in saved.text and "With: Sam" in saved.text
    (log,) = rows(rig, PracticeLog)
    assert (log.plan_id, log.person, log.decision) == (plan.id, "Sam", "step_up")
    assert log.body == "My shoulders dropped"
    assert rows(rig, PracticePlan)[0].outcome == "logged"
    # "Log it" pressed again (an old copy of the follow-up) finds the plan done.
    await alex.press_data(f"prl:plan:{plan.id}")
    assert "already done" in texts(await alex.replies_until_idle())
    assert len(rows(rig, PracticeLog)) == 1


async def test_not_this_time_and_a_logged_plan_sends_nothing_more(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    (saved,) = await answer(alex, "/practice", "Plan a practice", "Skip", "Skip", "Skip")
    assert "no reminder" in saved.text
    rung = "Tell someone one small feeling from my day"
    await answer(alex, "/practice", "Plan a practice", rung, "Partner", "Tomorrow")
    await rig.sweep(PLANNED_AT)
    await alex.replies_until_idle()
    (followup,) = await followup_of(rig, alex)
    replies = shown(await alex.tap("Not this time", message=followup))
    assert "That's fine" in texts(replies) and "ladder will be here" in texts(replies)
    assert [p.outcome for p in rows(rig, PracticePlan)] == [None, "not_done"]
    assert rows(rig, PracticeLog) == []


SECRET_RUNG = "VICTIM-RUNG tell Rosalind I was scared"
SECRET_FEAR = "VICTIM-FEAR Rosalind would laugh"


async def test_every_practice_button_pressed_by_someone_else_changes_nothing(
    rig: BotRig,
) -> None:
    victim, intruder = await rig.onboarded(1001, "Vicky"), await rig.onboarded(2002, "Ivo")
    await answer(victim, "/practice", "Build my ladder", "Sharing a feeling", "Type my own")
    await answer(victim, SECRET_RUNG, "2", "Add another rung", "Skip")
    await answer(victim, "Say no to a small request, kindly", "5", "My ladder", "Log a practice")
    await answer(victim, SECRET_RUNG, "Rosalind", "6", "8", "3", "Skip", "Skip", SECRET_FEAR)
    await answer(victim, "Skip", "Skip", "Stay on this rung")
    await answer(victim, "/practice", "Plan a practice", SECRET_RUNG, "Rosalind", "Tomorrow")
    await rig.sweep(PLANNED_AT)
    await victim.replies_until_idle()
    await followup_of(rig, victim)
    await victim.ask("/practice")
    await victim.tap("Log a practice")  # left open at its first question

    datas = await assert_forgeries_harmless(
        rig, victim, intruder, secrets=["Rosalind", SECRET_RUNG, SECRET_FEAR]
    )
    prefixes = {":".join(d.split(":")[:2]) for d in datas}
    assert {"pr:build", "pr:log", "pr:plan", "pr:ladder", "prr:area", "prr:text"} <= prefixes
    assert {"prr:exp", "prr:skip", "prl:rung", "prl:who", "prl:before", "prl:peak"} <= prefixes
    assert {"prl:after", "prl:skip", "prl:decide", "prp:rung", "prp:who", "prp:when"} <= prefixes
    assert {"prl:plan", "prl:letgo"} <= prefixes
    await intruder.ask("/practice")
    await intruder.tap("Log a practice")  # the intruder busy in their own practice
    await assert_forgeries_harmless(rig, victim, intruder, datas, secrets=["Rosalind"])
    assert "Something went wrong" not in texts(intruder.events)
    await assert_huge_ids_are_stale(victim, datas)


async def test_not_this_time_on_the_reminder_means_no_follow_up(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await alex.ask("/practice")
    await alex.tap("Plan a practice")
    await alex.tap("Ask Sam to hug me first")
    await alex.tap("Skip")
    await alex.tap("Tomorrow")
    await rig.sweep(PLANNED_AT)
    (reminder,) = sent(await alex.replies_until_idle())
    assert "Ask Sam to hug me first." in reminder.text  # nobody named: no "with"
    replies = shown(await alex.tap("Not this time"))
    assert "That's fine" in texts(replies)
    report = await rig.sweep(FOLLOWUP_AT)
    assert report.sent == 0 and sent(await alex.replies_until_idle()) == []

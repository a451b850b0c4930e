"""/repair end to end, the plan: every step, the coach, the script, typed times, skipping,
/cancel and resume, restarts, switching to a trigger log, long answers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store import prompts
from tests.e2e.helpers import draft, failed_requests, plan_full_repair, plans
from tests.e2e.rig import BotRig, sent, texts


async def test_every_step_builds_a_script_in_my_words(rig: BotRig) -> None:
    alex = await rig.onboarded()
    replies = sent(await alex.ask("/repair"))
    assert "Who is the repair with" in replies[-1].text
    assert "Partner" in replies[-1].labels and "Skip" in replies[-1].labels
    replies = await plan_full_repair(alex)
    script, offer = replies
    assert script.text.startswith("Your repair script for your partner")
    assert "I changed our plans at the last minute." in script.text
    assert "you felt let down" in script.text
    assert "What would help you trust me again?" in script.text
    # Tomorrow = Tue 3 Mar 19:00 in Berlin; the follow-up comes two hours later.
    assert "Tue 3 Mar, 21:00" in offer.text
    assert offer.labels == ["Yes, check in with me", "No, thanks"]

    (plan,) = plans(rig)
    assert plan.status == "completed" and plan.completed_at is not None
    assert (plan.person, plan.when_text, plan.next_step) == (
        "Partner",
        "Tomorrow",
        "I'll text you by noon if plans change",
    )
    assert plan.followup_at == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    assert prompts.pending_for_user(rig.db, 1001, "repair_followup") == []

    replies = await alex.tap("Yes, check in with me")
    assert "I'll check in on Tue 3 Mar, 21:00" in texts(replies)
    (due,) = prompts.pending_for_user(rig.db, 1001, "repair_followup")
    assert (due.ref_id, due.due_at) == (plan.id, plan.followup_at)
    assert failed_requests(rig) == []


async def test_the_coach_points_out_blame_kindly(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/repair")
    await alex.tap("Skip")
    await alex.ask("We had a fight about the holidays")
    await alex.tap("Skip")
    await alex.tap("Skip")
    (coach,) = sent(await alex.ask("You never listen to me and you always interrupt"))
    assert "“You never”" in coach.text and "“you always”" in coach.text
    # The "I" form is made of what Alex wrote, the blame left out (issue 24).
    assert "I feel <feeling> when you don't listen to me and you interrupt, and I need <need>." in (
        coach.text
    )
    assert coach.labels == ["Keep mine"]
    assert draft(rig, "repair").feel_need == "You never listen to me and you always interrupt"
    assert draft(rig, "repair").step == "my_part"  # still on this step

    replies = sent(await alex.ask("I feel alone when I'm interrupted, and I need to finish"))
    assert "concrete step" in replies[-1].text  # a clean version moves on
    assert (
        draft(rig, "repair").feel_need == "I feel alone when I'm interrupted, and I need to finish"
    )
    await alex.tap("Skip")
    (coach,) = sent(await alex.ask("Why do you always ignore me?"))
    assert "“you always”" in coach.text
    assert "I feel <feeling> when you ignore me, and I need <need>." in coach.text
    replies = await alex.tap("Keep mine")
    assert "When will you talk" in replies[-1].text
    assert draft(rig, "repair").question == "Why do you always ignore me?"


async def test_skipping_everything_still_gives_a_template_script(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/repair")
    for _ in range(7):
        await alex.tap("Skip")
    script, offer = sent(await alex.tap("Skip"))
    assert (
        "<what happened>" in script.text and "What would help you feel more secure?" in script.text
    )
    assert "Wed 4 Mar, 19:00" in offer.text  # nothing planned: in two days, in the evening
    replies = await alex.tap("No, thanks")
    assert "/repair" in texts(replies)
    (plan,) = plans(rig)
    assert plan.status == "completed" and plan.followup_at is None
    assert prompts.pending_for_user(rig.db, 1001, "repair_followup") == []


async def test_typed_times_in_my_zone(rig: BotRig) -> None:
    alex = await rig.onboarded()  # Berlin; the clock says Mon 2 Mar 10:00 there
    await alex.ask("/repair")
    for _ in range(7):
        await alex.tap("Skip")
    replies = await alex.ask("whenever")
    assert "couldn't read “whenever”" in texts(replies)
    replies = await alex.ask("2026-03-01 18:00")
    assert "already passed" in texts(replies)
    _, offer = sent(await alex.ask("Friday 18:30"))
    assert "Fri 6 Mar, 20:30" in offer.text
    (plan,) = plans(rig)
    assert plan.when_text == "Friday 18:30"


async def test_cancel_resume_and_restart(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/repair")
    await alex.ask("Anna")
    await alex.ask("I snapped at Anna during dinner.")
    (note,) = sent(await alex.ask("/cancel"))
    assert "kept as a draft" in note.text and "/repair" in note.text

    (question,) = sent(await alex.ask("/repair"))
    assert "2 of 8" in question.text
    await rig.restart()
    replies = await alex.tap("Continue where I left off")
    assert "affected them" in sent(replies)[-1].text
    await alex.ask("She felt hurt and dismissed.")
    await rig.restart()
    replies = await alex.ask("I was tired and took it out on her.")
    assert "what do you need" in sent(replies)[-1].text.lower()
    plan = draft(rig, "repair")
    assert (plan.person, plan.impact, plan.my_part) == (
        "Anna",
        "She felt hurt and dismissed.",
        "I was tired and took it out on her.",
    )

    # Anna, typed once, is offered as a button next time.
    await alex.ask("/cancel")
    await alex.ask("/repair")
    replies = await alex.tap("Start fresh")
    assert sent(replies)[-1].labels[0] == "Anna"
    assert sorted(p.status for p in plans(rig)) == ["closed", "draft"]


async def test_switching_between_trigger_and_repair_keeps_both_drafts(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("They cancelled on me again.")
    (question,) = sent(await alex.ask("/repair"))
    assert "middle of a trigger log" in question.text
    assert question.labels == ["Switch", "Stay where I was"]
    replies = await alex.tap("Stay where I was")
    assert "carry on" in texts(replies)
    replies = await alex.tap("Scared")  # still in the trigger log
    assert "anxious" in replies[-1].labels

    await alex.ask("/repair")
    replies = await alex.tap("Switch")
    assert "Who is the repair with" in sent(replies)[-1].text
    await alex.tap("Friend")
    from bot.store import triggers

    entry = triggers.latest_draft(rig.db, 1001)
    assert entry is not None and entry.situation == "They cancelled on me again."
    assert draft(rig, "repair").person == "Friend"

    (question,) = sent(await alex.ask("/trigger"))
    assert "middle of a repair plan" in question.text
    replies = await alex.tap("Switch")
    assert "unfinished trigger log" in texts(replies)


async def test_long_answers_split_the_script(rig: BotRig) -> None:
    alex = await rig.onboarded()
    long_text = ("Zoë 🌊 “quoted” नमस्ते 你好 " * 300)[:4096]
    await alex.ask("/repair")
    await alex.ask(long_text)
    for _ in range(6):
        await alex.ask(long_text)
    replies = sent(await alex.tap("Skip"))
    assert len(replies) >= 7  # the script in several parts, then the offer
    assert all(len(r.text) <= 4096 for r in replies)
    assert "Would you like me to check in" in replies[-1].text
    (plan,) = plans(rig)
    assert plan.what_happened == long_text and plan.question == long_text
    assert failed_requests(rig) == []


async def test_the_coach_builds_the_i_form_from_the_users_own_words(rig: BotRig) -> None:
    """Issue 24: "You always ignore me when your friends are around" got a blank form."""
    alex = await rig.onboarded()
    await alex.ask("/repair")
    await alex.tap("Partner")
    await alex.ask("I went quiet at the party and left early")
    await alex.tap("Skip")
    await alex.tap("Skip")
    (coach,) = sent(await alex.ask("You always ignore me when your friends are around"))
    print("\n--- what Alex reads ---\n" + coach.text)
    assert coach.text == (
        "A gentle thought before you send this: some words here may land as blame, and blame "
        "tends to make people defend themselves instead of listening.\n\n"
        "• “You always”: “always” can make the other person defend the exceptions. Naming one "
        "specific time is easier to hear.\n\n"
        "Here is one way to say it in the “I” form, built from your words. It's a draft for you "
        "to change until it sounds like you, not a sentence you have to use:\n"
        "I feel <feeling> when your friends are around and you ignore me, and I need <need>.\n"
        "The parts in <angle brackets> are for what only you know.\n\n"
        "Your feelings make sense. The “I” form just helps them be heard.\n\n"
        "Or type a new version, and I'll use that instead."
    )
    assert coach.labels == ["Keep mine"]

    # Alex fills in the blanks: the plan keeps exactly what Alex typed.
    mine = "I feel left out when your friends are around and you ignore me, and I need a hand"
    replies = sent(await alex.ask(mine))
    assert "concrete step" in replies[-1].text
    assert draft(rig, "repair").feel_need == mine

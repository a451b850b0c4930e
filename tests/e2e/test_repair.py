"""/repair end to end: every step, the coach, the script, the follow-up and its answers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.app import sender_for
from bot.handlers.common import Ctx
from bot.models import DuePrompt, RepairPlan
from bot.store import prompts, repairs, users
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeUser


async def onboarded(rig: BotRig, user_id: int = 1001, name: str = "Alex") -> FakeUser:
    user = rig.user(user_id, name)
    await rig.onboard(user)
    return user


def draft(rig: BotRig, user_id: int = 1001) -> RepairPlan:
    plan = repairs.latest_draft(rig.db, user_id)
    assert plan is not None
    return plan


def plans(rig: BotRig, user_id: int = 1001) -> list[RepairPlan]:
    with rig.db.session() as s:
        return list(s.exec(select(RepairPlan).where(RepairPlan.user_id == user_id)).all())


def failed_requests(rig: BotRig) -> list[str]:
    return [
        f"{r.method}: {r.description}"
        for r in rig.server.requests
        if not r.ok and r.method != "getUpdates"
    ]


async def send_due_followup(rig: BotRig, user_id: int = 1001) -> None:
    """What the sweep does for a due repair_followup prompt: call the registered sender."""
    assert rig.app is not None
    (prompt,) = prompts.pending_for_user(rig.db, user_id, "repair_followup")
    user = users.get(rig.db, user_id)
    assert user is not None
    sender = sender_for("repair_followup")
    assert sender is not None
    await sender(Ctx(rig.app), user, prompt)  # type: ignore[arg-type]


async def plan_full_repair(alex: FakeUser) -> list:
    await alex.ask("/repair")
    await alex.tap("Partner")
    await alex.ask("I changed our plans at the last minute.")
    await alex.ask("you felt let down")
    await alex.ask("I didn't tell you early")
    await alex.ask("I feel anxious when we drift apart, and I need us to talk")
    await alex.ask("I'll text you by noon if plans change")
    await alex.ask("What would help you trust me again?")
    return sent(await alex.tap("Tomorrow"))


async def test_every_step_builds_a_script_in_my_words(rig: BotRig) -> None:
    alex = await onboarded(rig)
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
    alex = await onboarded(rig)
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
    assert draft(rig).feel_need == "You never listen to me and you always interrupt"
    assert draft(rig).step == "my_part"  # still on this step

    replies = sent(await alex.ask("I feel alone when I'm interrupted, and I need to finish"))
    assert "concrete step" in replies[-1].text  # a clean version moves on
    assert draft(rig).feel_need == "I feel alone when I'm interrupted, and I need to finish"
    await alex.tap("Skip")
    (coach,) = sent(await alex.ask("Why do you always ignore me?"))
    assert "“you always”" in coach.text
    assert "I feel <feeling> when you ignore me, and I need <need>." in coach.text
    replies = await alex.tap("Keep mine")
    assert "When will you talk" in sent(replies)[-1].text
    assert draft(rig).question == "Why do you always ignore me?"


async def test_skipping_everything_still_gives_a_template_script(rig: BotRig) -> None:
    alex = await onboarded(rig)
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
    alex = await onboarded(rig)  # Berlin; the clock says Mon 2 Mar 10:00 there
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


async def test_followup_happened_with_a_lesson(rig: BotRig) -> None:
    alex = await onboarded(rig)
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    rig.clock.set(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    await send_due_followup(rig)
    question = await alex.reply()
    assert "Did the repair happen" in question.text and "with your partner" in question.text
    assert question.labels == ["It happened", "Not yet", "It didn't go well"]

    replies = await alex.tap("It happened")
    assert "What did you learn" in texts(replies)
    await rig.restart()
    replies = await alex.ask("That asking calmly works 🌱")
    assert "corrective experience" in texts(replies)
    (plan,) = plans(rig)
    assert plan.followup_outcome == "happened"
    assert plan.followup_note == "That asking calmly works 🌱"
    assert plan.followup_answered_at == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)


async def test_followup_badly_skip_and_not_yet_asks_again(rig: BotRig) -> None:
    alex = await onboarded(rig)
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    await send_due_followup(rig)
    await alex.reply()
    replies = await alex.tap("Not yet")
    assert "ask again" in texts(replies)
    (plan,) = plans(rig)
    assert plan.followup_outcome == "not_yet"
    with rig.db.session() as s:  # the sweep would have marked the first prompt sent
        for row in s.exec(select(DuePrompt)).all():
            row.state = "sent"
            s.add(row)
    replies = await alex.tap("Yes, ask again")
    assert "I'll ask again on Wed 4 Mar, 19:00" in texts(replies)

    await send_due_followup(rig)
    await alex.reply()
    replies = await alex.tap("It didn't go well")
    assert "still practice" in texts(replies)
    replies = await alex.tap("Skip")
    assert "corrective experience" in texts(replies)
    (plan,) = plans(rig)
    assert (plan.followup_outcome, plan.followup_note) == ("badly", None)


async def test_sender_skips_plans_that_are_gone_or_answered(rig: BotRig) -> None:
    alex = await onboarded(rig)
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    (plan,) = plans(rig)
    user = users.get(rig.db, 1001)
    assert rig.app is not None and user is not None and plan.id is not None
    sender = sender_for("repair_followup")
    assert sender is not None
    ctx = Ctx(rig.app)
    other = DuePrompt(user_id=1001, kind="repair_followup", ref_id=999, due_at=rig.clock())
    assert await sender(ctx, user, other) is None  # type: ignore[arg-type]
    repairs.update(rig.db, 1001, plan.id, rig.clock(), followup_outcome="happened")
    (due,) = prompts.pending_for_user(rig.db, 1001, "repair_followup")
    assert await sender(ctx, user, due) is None  # type: ignore[arg-type]


async def test_cancel_resume_and_restart(rig: BotRig) -> None:
    alex = await onboarded(rig)
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
    plan = draft(rig)
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
    alex = await onboarded(rig)
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
    assert draft(rig).person == "Friend"

    (question,) = sent(await alex.ask("/trigger"))
    assert "middle of a repair plan" in question.text
    replies = await alex.tap("Switch")
    assert "unfinished trigger log" in texts(replies)


async def test_forged_followup_and_offer_ids_are_refused(rig: BotRig) -> None:
    sam = await onboarded(rig, 2002, "Sam")
    await plan_full_repair(sam)
    (sams,) = plans(rig, 2002)
    alex = await onboarded(rig)
    await alex.ask("/help")
    for data in (f"rpf:o:badly:{sams.id}", f"rpf:yes:{sams.id}", f"rpf:again:{sams.id}"):
        await alex.press_data(data)
        replies = await alex.replies_until_idle()
        assert "Anna" not in texts(replies) and "partner" not in texts(replies).lower()
    (after,) = plans(rig, 2002)
    assert after.followup_outcome is None and after.followup_at == sams.followup_at
    assert prompts.pending_for_user(rig.db, 2002, "repair_followup") == []


async def test_long_answers_split_the_script(rig: BotRig) -> None:
    alex = await onboarded(rig)
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


async def test_out_of_range_ids_are_harmless(rig: BotRig) -> None:
    alex = await onboarded(rig)
    await alex.ask("/help")
    huge = "9" * 18
    for data in (f"rpf:o:happened:{huge}", f"rpf:yes:{huge}", f"sc:mine:{huge}"):
        await alex.press_data(data)
        replies = await alex.replies_until_idle()
        assert replies, data
    await alex.ask("/repair")
    await alex.press_data(f"rp:who:r.{huge}")
    await alex.press_data(f"rp:who:t.{huge}")
    await alex.replies_until_idle()
    assert draft(rig).person is None
    assert failed_requests(rig) == []
    assert "Something went wrong" not in texts(alex.events)


async def test_the_coach_builds_the_i_form_from_the_users_own_words(rig: BotRig) -> None:
    """Issue 24: "You always ignore me when your friends are around" got a blank form."""
    alex = await onboarded(rig)
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
    assert draft(rig).feel_need == mine

"""Check-ins end to end, answering: every question in full, each answer saved as it arrives,
restarts and /cancel, /checkin and its variants, the wrong kind of message for a question."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.store import checkins
from tests.e2e.helpers import EVENING_DUE, MORNING_DUE, prompt_of
from tests.e2e.rig import BotRig, sent, texts


async def test_morning_check_in_answered_in_full(rig: BotRig) -> None:
    alex = await rig.onboarded()
    text = await prompt_of(rig, alex, MORNING_DUE)
    assert "Good morning, Alex" in text and "later than planned" not in text

    replies = await alex.tap("Start")
    assert "How are you feeling" in texts(replies)
    await alex.tap("Scared")
    (words,) = await alex.tap("anxious")
    assert "✓ anxious" in words.labels
    await alex.tap("← All families")
    await alex.tap("Happy")
    await alex.tap("hopeful")
    replies = await alex.tap("Done (2 chosen)")
    assert "0 (barely there) to 10" in texts(replies)
    replies = await alex.tap("6")
    assert "What do you need today" in texts(replies)
    replies = await alex.ask("A quiet walk at lunch")
    assert "One small commitment" in texts(replies)
    (done,) = sent(await alex.tap("Ask for support once"))
    assert "anxious and hopeful (6/10)" in done.text
    assert "“A quiet walk at lunch”" in done.text
    assert "“Ask for support once”" in done.text

    (row,) = checkins.for_user(rig.db, 1001)
    assert row.status == "completed" and row.kind == "morning"
    assert row.local_date == date(2026, 3, 3)
    assert row.emotions == ["anxious", "hopeful"] and row.intensity == 6
    assert row.need == "A quiet walk at lunch"
    (commitment,) = checkins.commitments_for_user(rig.db, 1001)
    assert commitment.suggestion_id == "ask_support" and commitment.checkin_id == row.id


async def test_evening_check_in_answered_in_full(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # no emotions
    await alex.tap("Skip")  # intensity
    await alex.tap("Skip")  # need
    await alex.ask("Say one kind thing to my sister")

    text = await prompt_of(rig, alex, EVENING_DUE)
    assert "Evening, Alex" in text
    await alex.tap("Start")
    replies = await alex.tap("Mixed")
    assert "Anything you'd like to note" in texts(replies)
    await alex.ask("Lunch with Sam was tense")
    (repair,) = await alex.tap("Yes")  # triggering: the next question, the promise above it
    assert repair.kind == "edit" and repair.buttons[-1] == ["Skip"]
    assert (repair.text or "").endswith(
        "→ Yes\n\nThank you for noticing. Let's finish here first — then I'll offer to log it "
        "with you, step by step.\n\nDid you attempt a repair with someone today?"
    )
    replies = await alex.tap("I tried")
    assert "“Say one kind thing to my sister”" in texts(replies)
    replies = await alex.tap("Partly")
    assert "lesson" in texts(replies)
    done, offer = sent(await alex.ask("I paused before answering"))
    assert offer.labels == ["Log it now", "Later"]  # (tests/e2e/test_evening_trigger_handoff.py)
    assert "mixed" in done.text and "partly kept" in done.text
    assert "“I paused before answering”" in done.text

    morning, evening = checkins.for_user(rig.db, 1001)
    assert evening.status == "completed" and evening.kind == "evening"
    assert (evening.interactions, evening.interactions_note) == (
        "mixed",
        "Lunch with Sam was tense",
    )
    assert (evening.triggered, evening.repair, evening.commitment_kept) == (
        "yes",
        "attempted",
        "partly",
    )
    assert evening.lesson == "I paused before answering"
    (commitment,) = checkins.commitments_for_user(rig.db, 1001)
    assert commitment.text == "Say one kind thing to my sister" and commitment.outcome == "partly"


async def test_restart_in_the_middle_continues(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await prompt_of(rig, alex, MORNING_DUE)
    await alex.tap("Start")
    await alex.tap("Sad")
    await alex.tap("lonely")
    await alex.tap("Done (1 chosen)")

    await rig.restart()
    replies = await alex.tap("7")
    assert "What do you need today" in texts(replies)
    await alex.ask("Company")
    (done,) = sent(await alex.tap("Skip"))
    assert "lonely (7/10)" in done.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.status == "completed" and row.need == "Company"


async def test_every_answer_is_saved_as_it_arrives(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin evening")
    await alex.tap("Hard")
    (draft,) = checkins.for_user(rig.db, 1001)
    assert draft.status == "draft" and draft.interactions == "hard"


async def test_checkin_command_variants(rig: BotRig) -> None:
    alex = await rig.onboarded()  # 10:00 in Berlin
    replies = await alex.ask("/checkin")
    assert "Morning check-in" in texts(replies)
    rig.clock.set(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))  # 15:00 in Berlin
    replies = await alex.ask("/checkin")
    assert "Evening reflection" in texts(replies)
    replies = await alex.ask("/checkin morning")
    assert "Morning check-in" in texts(replies)
    replies = await alex.ask("/checkin lunch")
    assert "/checkin morning" in texts(replies)
    statuses = [(c.kind, c.status) for c in checkins.for_user(rig.db, 1001)]
    assert statuses == [("morning", "closed"), ("evening", "closed"), ("morning", "draft")]


async def test_checkin_before_onboarding_points_to_start(rig: BotRig) -> None:
    newcomer = rig.user(1003, "Kim")
    (reply,) = await newcomer.ask("/checkin")
    assert "/start" in reply.text


async def test_cancel_keeps_the_answers(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin evening")
    await alex.tap("Mostly warm")
    (reply,) = sent(await alex.ask("/cancel"))
    assert "answers so far are saved" in reply.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.status == "closed" and row.interactions == "warm"


async def test_sticker_where_text_is_expected(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin evening")
    await alex.tap("Mostly warm")
    await alex.send_sticker()
    replies = await alex.replies_until_idle()
    assert "type it" in texts(replies)
    replies = await alex.tap("Skip")
    assert "triggering" in texts(replies)


async def test_an_old_skip_button_does_not_skip_a_later_question(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # no emotions
    await alex.tap("Skip")  # intensity
    (need_question,) = [e for e in alex.events if "What do you need" in (e.text or "")]
    await alex.ask("Rest")  # typed: the need question keeps its Skip button
    replies = await alex.tap("Skip", message=need_question)
    assert "Already answered" in rig.server.answered_callbacks[-1].get("text", "")
    assert sent(replies) == []
    (draft,) = checkins.for_user(rig.db, 1001)
    assert draft.status == "draft" and draft.need == "Rest"  # still at the commitment step


async def test_typing_while_buttons_are_expected(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    (reply,) = sent(await alex.ask("pretty rough"))
    assert "Tap one of the buttons" in reply.text
    replies = await alex.tap("Sad")  # the check-in goes on
    assert "which words fit" in texts(replies)


async def test_a_button_answer_turns_the_question_into_the_next_one(rig: BotRig) -> None:
    """One message per question answered by a button: the choice stays visible above the next
    question, and the old buttons are gone, so nothing can be answered twice."""
    alex = await rig.onboarded()
    (first,) = await alex.ask("/checkin morning")
    assert "Morning check-in" in (first.text or "") and "How are you feeling" in (first.text or "")
    await alex.tap("Scared")
    await alex.tap("anxious")
    (intensity,) = await alex.tap("Done (1 chosen)")
    assert intensity.kind == "edit" and intensity.message_id == first.message_id
    assert "So far: anxious\n\nHow strong" in (intensity.text or "")
    (need,) = await alex.tap("6")
    assert need.kind == "edit" and need.message_id == first.message_id
    assert "→ 6\n\nWhat do you need today" in (need.text or "")
    assert need.buttons == [["Skip"]]
    (commitment,) = await alex.ask("Rest")
    assert commitment.kind == "message" and "One small commitment" in (commitment.text or "")
    mark, done = await alex.tap("Skip")
    assert mark.message_id == commitment.message_id and mark.buttons == []
    assert (mark.text or "").endswith("→ Skip") and "Thank you for checking in" in (done.text or "")

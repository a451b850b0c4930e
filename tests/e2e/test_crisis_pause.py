"""Crisis language typed in any step of any conversation: care first, in one message, never
quoted or corrected; the conversation waits under it with "Carry on where we were" / "Stop here
for now"; a free-text step keeps the message as its answer; carrying on asks the next open
question with its buttons; stopping keeps every answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.models import RepairPlan, TriggerEntry
from bot.store import checkins, repairs, triggers, users
from tests.e2e.helpers import (
    CARE,
    CARRY_ON,
    CRISIS,
    STOP,
    care_only,
    carry_on,
    plan_full_repair,
    send_due_followup,
    stop,
)
from tests.e2e.rig import BotRig, sent, texts

# --- before and during onboarding ----------------------------------------------------------


async def test_before_onboarding_care_alone_and_nothing_is_created(rig: BotRig) -> None:
    sam = rig.user(1009, "Sam")
    await care_only(sam, "i want to kill myself", paused=False)
    assert users.get(rig.db, 1009) is None


@pytest.mark.parametrize("typed_at", ["consent", "timezone", "morning", "evening"])
async def test_every_onboarding_step(rig: BotRig, typed_at: str) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")

    async def confirm_berlin() -> None:
        await alex.ask("Berlin")
        await alex.tap("Yes, that's right")

    # Each step, what moves past it, and what its question shows.
    steps: list[tuple[str, Callable[[], Awaitable[object]], str]] = [
        ("consent", lambda: alex.tap("Let's begin"), "Let's begin"),
        ("timezone", confirm_berlin, "timezone"),
        ("morning", lambda: alex.tap("08:00 (default)"), "08:00 (default)"),
        ("evening", lambda: alex.tap("21:00 (default)"), "21:00 (default)"),
    ]
    for step, answer, _ in steps:
        if step == typed_at:
            break
        await answer()
    # "at 9" would parse as a time and "Berlin" as a city: neither is taken from this message.
    await care_only(alex, "I want to die in Berlin at 9")
    question = await carry_on(alex)
    expected = dict((s, e) for s, _, e in steps)[typed_at]
    assert expected in texts([question]) or expected in question.labels
    user = users.get(rig.db, 1001)
    assert user is not None and user.morning_time == "08:00" and user.onboarded_at is None


async def test_stopping_onboarding_keeps_consent_and_start_finishes_it(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")
    await alex.tap("Let's begin")
    await care_only(alex)
    note = await stop(alex)
    assert "/start" in note.text
    (ask,) = sent(await alex.ask("/start"))
    assert "timezone" in ask.text  # consent was kept


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "question"),
    [
        ("/timezone", "timezone"),
        ("/morning", "morning"),
        ("/evening", "evening"),
        ("/weekly", "weekly"),
    ],
)
async def test_every_settings_question(rig: BotRig, command: str, question: str) -> None:
    alex = await rig.onboarded()
    await alex.ask(command)
    await care_only(alex, "I don't want to be alive on Sunday 19:30 in Paris")
    asked = await carry_on(alex)
    assert question in asked.text.lower() and "Keep as it is" in asked.labels
    user = users.get(rig.db, 1001)
    assert user is not None and user.timezone == "Europe/Berlin" and user.weekly_time == "19:00"
    assert user.morning_time == "08:00" and user.evening_time == "21:00"


async def test_typing_while_paused_gets_a_gentle_note_and_stop_changes_nothing(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/weekly")
    await care_only(alex)
    (note,) = sent(await alex.ask("Sunday 20:00"))  # not taken as the answer while paused
    assert note.labels == [CARRY_ON, STOP] and "couldn't" not in note.text
    await stop(alex)
    user = users.get(rig.db, 1001)
    assert user is not None and user.weekly_time == "19:00"
    (reply,) = sent(await alex.ask("Sunday 20:00"))
    assert CARE not in reply.text  # the conversation is over: an ordinary reply


# --- check-ins ------------------------------------------------------------------------------


async def test_morning_check_in_every_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await care_only(alex)  # feelings wheel (buttons)
    wheel = await carry_on(alex)
    assert "How are you feeling" in wheel.text and "Skip" in wheel.labels
    await alex.tap("Skip")
    await care_only(alex)  # intensity (buttons)
    scale = await carry_on(alex)
    assert "0 (barely there)" in scale.text and "10" in scale.labels
    await alex.tap("7")
    await care_only(alex)  # what I need (free text): kept
    commitment = await carry_on(alex)
    assert "One small commitment" in commitment.text and "Skip" in commitment.labels
    await care_only(alex, "I want to end it all")  # the commitment (free text): kept, then done
    (done,) = sent(await alex.tap(CARRY_ON))
    assert "Thank you for checking in" in done.text and CRISIS not in done.text
    assert "end it all" not in done.text  # kept in the entry, not read back
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.need == CRISIS and row.intensity == 7 and row.status == "completed"


async def test_evening_check_in_every_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (asked,) = sent(await alex.ask("/checkin evening"))
    steps = [
        ("How did today's interactions", "Mixed"),
        ("Anything you'd like to note", None),  # free text: kept
        ("Was anything triggering", "No"),
        ("repair", "No"),
        ("keep", "There was none"),
    ]
    for question, tap in steps:
        assert question in asked.text
        await care_only(alex)
        asked = await carry_on(alex)
        if tap is not None:  # a button step: the same question again, answered by a tap
            assert question in asked.text
            asked = (await alex.tap(tap))[-1]  # the next question, in place
    assert "One lesson" in asked.text
    await care_only(alex, "I keep hurting myself")  # the lesson: kept, then the end
    (done,) = sent(await alex.tap(CARRY_ON))
    assert "Thank you for reflecting" in done.text and "hurting" not in done.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.interactions_note == CRISIS and row.lesson == "I keep hurting myself"
    assert row.triggered == "no" and row.status == "completed"


async def test_stopping_a_check_in_keeps_its_answers(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")
    await alex.tap("4")
    await care_only(alex)
    note = await stop(alex)
    assert "check-in answers so far are saved" in note.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.need == CRISIS and row.intensity == 4 and row.status == "closed"


# --- trigger log and repair plan ------------------------------------------------------------

TRIGGER_WALK = [
    ("situation", "What happened", None),
    ("emotions", "What did you feel", "Skip"),
    ("intensity_before", "How strong", "Skip"),
    ("body", "body", None),
    ("story", "What story", None),
    ("distortions", "Thinking traps", "None of these"),
    ("evidence_for", "", None),
    ("evidence_against", "", None),
    ("balanced", "", None),
    ("action", "", None),  # typed: kept as my own action
    ("intensity_after", "", "Skip"),
    ("person", "", "Skip"),
    ("context", "", "Skip"),
]


async def test_trigger_log_every_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (first,) = sent(await alex.ask("/trigger"))[-1:]
    asked = first
    for step, question, tap in TRIGGER_WALK:
        assert question in asked.text, (step, asked)
        words = f"{CRISIS} ({step})"
        await care_only(alex, words)
        asked = await carry_on(alex)
        if tap is not None:  # a button step: nothing kept, the same question again
            assert question in asked.text
            events = sent(await alex.tap(tap))
            asked = events[-1]
    assert "Here's your entry" in asked.text and CRISIS not in asked.text
    with rig.db.session() as session:
        (entry,) = session.exec(select(TriggerEntry)).all()
    for step in ("situation", "body", "story", "evidence_for", "evidence_against", "balanced"):
        assert getattr(entry, step) == f"{CRISIS} ({step})"
    assert entry.person is None and entry.intensity_before is None
    assert entry.status == "completed"


async def test_stopping_a_trigger_log_keeps_the_draft(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await care_only(alex)
    note = await stop(alex)
    assert "kept as a draft" in note.text
    (offer,) = sent(await alex.ask("/trigger"))
    assert offer.labels == ["Continue where I left off", "Start fresh"]
    entry = triggers.latest_draft(rig.db, 1001)
    assert entry is not None and entry.situation == CRISIS


async def test_repair_plan_every_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/repair")
    await care_only(alex)  # who (buttons): not kept as a name
    who = await carry_on(alex)
    assert "Partner" in who.labels
    await alex.tap("Partner")
    for _ in ("what_happened", "impact", "my_part", "feel_need", "next_step", "question"):
        await care_only(alex, "You always make me want to die")  # kept, never coached
        asked = await carry_on(alex)
        assert "I" not in asked.labels
    assert "When" in asked.text or "when" in asked.text
    await care_only(alex, "I want to die tomorrow at 9")  # "when" (a time): not parsed
    when = await carry_on(alex)
    assert "Skip" in when.labels
    plan = repairs.latest_draft(rig.db, 1001)
    assert plan is not None and plan.person == "Partner" and plan.when_text is None
    assert plan.what_happened == plan.question == "You always make me want to die"


async def test_script_sentence_check(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/script istatement")
    await care_only(alex, "I feel like I want to die when you ignore me")
    asked = await carry_on(alex)
    assert "Type the sentence" in asked.text


# --- edits, captions, restarts --------------------------------------------------------------


async def test_an_edited_message_gets_care_and_is_not_kept(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")
    await alex.tap("3")
    await alex.ask("Some rest")  # the need; now the commitment is asked
    before = len(alex.events)
    await rig.server.wait_processed(await alex.edit("actually I want to kill myself"))
    (care,) = sent(alex.events[before:])
    assert CARE in care.text and care.labels == [CARRY_ON, STOP]
    for event in alex.events[before:]:
        event.consumed = True
    asked = await carry_on(alex)
    assert "One small commitment" in asked.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.need == "Some rest" and row.status == "draft"


async def test_a_caption_in_a_free_text_step_is_kept(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    update_id = await alex.send_photo(caption="I keep thinking about killing myself")
    await rig.server.wait_processed(update_id)
    (care,) = sent(alex.unread())
    assert CARE in care.text and care.labels == [CARRY_ON, STOP]
    for event in alex.unread():
        event.consumed = True
    asked = await carry_on(alex)
    assert "What did you feel" in asked.text
    entry = triggers.latest_draft(rig.db, 1001)
    assert entry is not None and entry.situation == "I keep thinking about killing myself"


async def test_the_pause_survives_a_restart(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/morning")
    await care_only(alex)
    await rig.restart()
    asked = await carry_on(alex)
    assert "morning" in asked.text.lower()
    (moved,) = await alex.ask("7:15")
    assert "07:15" in moved.text


async def test_carry_on_after_the_conversation_ended(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/morning")
    await care_only(alex)
    await alex.ask("/cancel")
    events = await alex.tap(CARRY_ON)
    assert "already ended" in texts(sent(events))


async def test_repair_followup_note_is_kept(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    rig.clock.set(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    await send_due_followup(rig)
    await alex.reply()
    await alex.tap("It didn't go well")
    await care_only(alex, "It went so badly I want to die")
    (saved,) = sent(await alex.tap(CARRY_ON))
    assert "corrective experience" in saved.text
    with rig.db.session() as session:
        (plan,) = session.exec(select(RepairPlan)).all()
    assert (
        plan.followup_outcome == "badly" and plan.followup_note == "It went so badly I want to die"
    )

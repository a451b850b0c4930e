"""Crisis language typed in any step of any conversation: care first, in one message, never
quoted or corrected; the conversation waits under it with "Carry on where we were" / "Stop here
for now"; a free-text step keeps the message as its answer; carrying on asks the next open
question with its buttons; stopping keeps every answer.

Here: in check-ins, the trigger log, the repair plan and the script check."""

from __future__ import annotations

from sqlmodel import select

from bot.models import TriggerEntry
from bot.store import checkins, repairs, triggers
from tests.e2e.helpers import (
    CARRY_ON,
    CRISIS,
    care_only,
    carry_on,
    stop,
)
from tests.e2e.rig import BotRig, sent

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
    ("person", "Who was involved", "Skip"),
    ("story", "What story", None),
    ("distortions", "Thinking traps", "None of these"),
    ("evidence_for", "", None),
    ("evidence_against", "", None),
    ("balanced", "", None),
    ("action", "", None),  # typed: kept as my own action
    ("intensity_after", "", "Skip"),
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
            asked = (await alex.tap(tap))[-1]  # the next question in place, or the end
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

"""Crisis language typed in any step of any conversation: care first, in one message, never
quoted or corrected; the conversation waits under it with "Carry on where we were" / "Stop here
for now"; a free-text step keeps the message as its answer; carrying on asks the next open
question with its buttons; stopping keeps every answer.

Here: edited messages, captions, a restart under the pause, carrying on after the end,
the repair follow-up's note."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.models import RepairPlan
from bot.store import checkins, triggers
from tests.e2e.helpers import (
    CARE,
    CARRY_ON,
    STOP,
    care_only,
    carry_on,
    plan_full_repair,
    send_due_followup,
)
from tests.e2e.rig import BotRig, sent, texts

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

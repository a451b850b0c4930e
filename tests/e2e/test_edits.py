"""Editing an earlier message is not a new answer or command (issue 21, item 6).

Telegram delivers an edit as an ``edited_message``; before, it was taken like a new message:
a corrected answer became the current step's answer and the conversation moved on, an edited
/checkin ran again. Now an edit is left as it is, with one short note the first time, and
crisis language in an edit is still answered with care.
"""

from __future__ import annotations

from sqlmodel import select

from bot.models import CheckIn
from bot.store import conversations, triggers
from tests.e2e.rig import BotRig, sent

NOTE = "I only read new messages"


async def test_an_edited_earlier_answer_does_not_move_the_thought_record(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("They didn't answer my mesage.")
    situation_id = alex.sent_message_ids[-1]
    await alex.tap("Skip")  # emotions
    await alex.tap("Skip")  # intensity: now the body question
    body_question = alex.last_message().text

    await alex.edit("They didn't answer my message.", situation_id)  # fixing a typo
    (note,) = sent(await alex.replies_until_idle())
    assert NOTE in note.text
    entry = triggers.latest_draft(rig.db, alex.id)
    assert entry is not None
    assert (entry.situation, entry.body, entry.step) == (
        "They didn't answer my mesage.",
        None,
        "intensity_before",
    )

    await alex.edit("They didn't answer my message!", situation_id)  # the note is said once
    assert sent(await alex.replies_until_idle()) == []
    replies = sent(await alex.ask("Tight chest"))  # the body question is still the one open
    assert "who was involved" in replies[-1].text.lower()
    entry = triggers.latest_draft(rig.db, alex.id)
    assert entry is not None and entry.body == "Tight chest"
    assert body_question != replies[-1].text


async def test_editing_an_old_checkin_command_does_not_run_it_again(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    command_id = alex.sent_message_ids[-1]
    await alex.ask("/cancel")

    await alex.edit("/checkin evening", command_id)
    (note,) = sent(await alex.replies_until_idle())
    assert NOTE in note.text
    with rig.db.session() as s:
        rows = s.exec(select(CheckIn).where(CheckIn.user_id == alex.id)).all()
    assert [(row.kind, row.status) for row in rows] == [("morning", "closed")]
    assert "checkin" not in conversations.open_for_user(rig.db, alex.id)


async def test_crisis_language_in_an_edit_is_answered_with_care_and_nothing_else(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("We argued about the holidays.")
    await alex.edit("We argued and I just want to die")
    replies = sent(await alex.replies_until_idle())
    assert replies and "glad you told me" in replies[0].text
    assert all(NOTE not in r.text for r in replies)  # never corrected after care
    assert all("tap one of the buttons" not in r.text for r in replies)  # nor told to tap
    entry = triggers.latest_draft(rig.db, alex.id)
    assert entry is not None and entry.situation == "We argued about the holidays."
    assert entry.step == "situation"  # not taken as the answer to the emotions question

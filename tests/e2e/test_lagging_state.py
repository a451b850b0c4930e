"""An answer goes to the field of the question the draft waits for, even when the
conversation state lags one question behind (issue 21, item 5).

The state in memory can lag: a send that fails after Telegram delivered the question (here
the fake server fails it, as a timeout after delivery looks to the bot), or a conversation
state that could not be stored, followed by a restart (the SIGKILL window). Before, the answer
to question N+1 was stored in question N's field, overwriting answer N.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.persistence import DatabasePersistence
from bot.store import checkins, conversations, triggers
from tests.e2e.helpers import CARRY_ON, CRISIS, care_only, carry_on, draft
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeUser


def never_store(monkeypatch: pytest.MonkeyPatch, state: str) -> Callable[[], None]:
    """From now on the conversation state ``state`` is never stored (a kill before storing
    it); returns what puts storing back."""
    real = DatabasePersistence.update_conversation

    async def lost(self: DatabasePersistence, name: str, key: Any, new: object) -> None:
        if new != state:
            await real(self, name, key, new)

    monkeypatch.setattr(DatabasePersistence, "update_conversation", lost)
    return lambda: monkeypatch.setattr(DatabasePersistence, "update_conversation", real)


async def body_answered_story_question_lost(rig: BotRig) -> FakeUser:
    """A thought record up to "body" and "person", answered; the story's question reaches the
    user but its send fails (a timeout after delivery, as the bot sees it): the state stays at
    "person"."""
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("They didn't answer my message.")
    await alex.tap("Skip")  # emotions
    await alex.tap("Skip")  # intensity
    await alex.ask("Tight chest")
    rig.server.fail_next("editMessageText", 500)  # the story's question (in place) is lost
    await alex.tap("Skip")  # who
    return alex


async def test_a_failed_question_send_does_not_make_the_next_answer_overwrite_this_one(
    rig: BotRig,
) -> None:
    alex = await body_answered_story_question_lost(rig)
    await alex.ask("They're losing interest in me.")  # the answer to that question (the story)

    entry = triggers.latest_draft(rig.db, alex.id)
    assert entry is not None
    assert entry.body == "Tight chest"
    assert entry.story == "They're losing interest in me."
    assert "Thinking traps" in alex.last_message().text  # and the flow has moved on


async def test_a_state_not_stored_before_a_restart_does_not_misplace_the_next_answer(
    rig: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # emotions
    await alex.tap("Skip")  # intensity

    store_again = never_store(monkeypatch, "m_commit")  # the step after "what I need"
    replies = sent(await alex.ask("A quiet walk at lunch"))
    assert "commitment" in replies[-1].text.lower()
    await rig.restart()  # a kill before the state was stored: the state is one step behind
    store_again()

    (done,) = sent(await alex.ask("Ask Sam for a hug"))
    assert "Ask Sam for a hug" in done.text  # the check-in is done, with my commitment
    kept = checkins.for_user(rig.db, alex.id)[-1]
    assert kept.need == "A quiet walk at lunch"
    commitment = checkins.commitment_for(rig.db, alex.id, kept.local_date)
    assert commitment is not None and commitment.text == "Ask Sam for a hug"


# --- crisis language while the state lags (the pause and "Carry on", bot/engine/aftercare.py)


async def test_crisis_language_in_a_lagging_check_in_is_kept_as_the_recorded_steps_answer(
    rig: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # emotions
    await alex.tap("Skip")  # intensity
    store_again = never_store(monkeypatch, "m_commit")
    await alex.ask("A quiet walk at lunch")  # the need; the commitment is asked
    await rig.restart()  # the state is still "what I need"; the check-in waits for the commitment
    store_again()

    await care_only(alex)  # typed as the commitment
    (done,) = sent(await alex.tap(CARRY_ON))
    assert "Thank you for checking in" in done.text
    (row,) = checkins.for_user(rig.db, alex.id)
    assert row.need == "A quiet walk at lunch"  # not overwritten by the crisis message
    commitment = checkins.commitment_for(rig.db, alex.id, row.local_date)
    assert commitment is not None and commitment.text == CRISIS


async def test_carry_on_in_a_lagging_check_in_asks_the_question_it_waits_for(
    rig: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin evening")
    await alex.tap("Mixed")  # interactions; the note is asked
    store_again = never_store(monkeypatch, "e_triggered")
    await alex.ask("Lunch with Sam was lovely")  # the note; "anything triggering?" is asked
    await rig.restart()  # the state is still the note's
    store_again()

    await care_only(alex)  # at a button step: nothing is kept
    asked = await carry_on(alex)
    assert "Was anything triggering" in asked.text and "Yes" in asked.labels
    (row,) = checkins.for_user(rig.db, alex.id)
    assert row.interactions_note == "Lunch with Sam was lovely"
    await alex.tap("No")  # and the check-in goes on from there
    (row,) = checkins.for_user(rig.db, alex.id)
    assert row.triggered == "no"


async def test_crisis_language_in_a_lagging_thought_record_is_kept_as_the_awaited_answer(
    rig: BotRig,
) -> None:
    alex = await body_answered_story_question_lost(rig)
    await care_only(alex)  # the answer to the story's question

    entry = triggers.latest_draft(rig.db, alex.id)
    assert entry is not None
    assert entry.body == "Tight chest" and entry.story == CRISIS
    asked = await carry_on(alex)
    assert "Thinking traps" in asked.text


async def test_a_question_that_fails_to_send_leaves_the_step_as_the_bot_has_it(rig: BotRig) -> None:
    """The step an answer leads to is stored with the answer; if its question then can't be
    sent, the stored step is put back to the one the bot is still at, so after a restart the
    user carries on where they were and their answer is kept."""
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    rig.server.fail_next("sendMessage", 400, "Bad Request: message is too long")
    await alex.ask("At the office")  # stored; "What did you feel?" is refused
    assert draft(rig, "trigger").situation == "At the office"
    assert conversations.open_for_user(rig.db, 1001) == {"trigger": "situation"}

    await rig.restart()
    (resume,) = sent(await alex.ask("/trigger"))
    assert "1 of 13 questions answered" in resume.text
    carried_on = await alex.tap("Continue where I left off")
    assert "What did you feel" in texts(carried_on)
    assert draft(rig, "trigger").situation == "At the office"

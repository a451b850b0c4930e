"""An evening check-in that noticed a trigger finishes first, then offers to log it right away."""

from __future__ import annotations

from bot.store import checkins, triggers
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import BotEvent, FakeUser

OFFER = "Would you like to log it now?"


async def evening(user: FakeUser, triggered: str = "Yes") -> list[BotEvent]:
    """A whole evening check-in, skipping all but the "triggering" question."""
    await user.ask("/checkin evening")
    await user.tap("Skip")  # interactions
    replies = await user.tap(triggered)
    if triggered == "Yes":  # promised above the next question, not yet offered
        assert "I'll offer to log it" in texts(replies)
        assert OFFER not in texts(replies)
    await user.tap("Skip")  # repair
    await user.tap("There was none")  # this morning's commitment
    return sent(await user.tap("Skip"))  # the lesson: the check-in ends here


async def test_log_it_now_after_the_evening_starts_the_trigger_log(rig: BotRig) -> None:
    alex = await rig.onboarded()
    done, offer = await evening(alex)
    assert "Thank you for reflecting" in done.text
    assert OFFER in offer.text and offer.labels == ["Log it now", "Later"]
    (evening_row,) = checkins.for_user(rig.db, 1001)
    assert evening_row.status == "completed" and evening_row.triggered == "yes"

    replies = await alex.tap("Log it now")
    assert replies[0].kind == "edit" and "→ Log it now" in (replies[0].text or "")
    assert replies[0].labels == []  # the offer can't be taken twice
    assert "camera" in sent(replies)[-1].text  # the first question of /trigger

    (emotions,) = sent(await alex.ask("My brother cancelled dinner by text."))
    assert "What did you feel" in emotions.text
    entry = triggers.latest_draft(rig.db, 1001)
    assert entry is not None and entry.situation == "My brother cancelled dinner by text."


async def test_later_leaves_it_for_another_time(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await evening(alex)
    replies = await alex.tap("Later")
    assert "→ Later" in texts(replies)
    assert "/trigger is here whenever you're ready" in sent(replies)[-1].text
    assert triggers.latest_draft(rig.db, 1001) is None
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.status == "completed"
    (free,) = await alex.ask("thanks")  # no conversation was left open
    assert "I'm here when you want me" in free.text


async def test_no_offer_when_nothing_was_triggering(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (done,) = await evening(alex, triggered="No")
    assert "Thank you for reflecting" in done.text and OFFER not in done.text


async def test_log_it_now_offers_to_continue_an_unfinished_log(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("A draft from earlier today.")
    await alex.ask("/cancel")

    await evening(alex)
    replies = sent(await alex.tap("Log it now"))
    assert "unfinished trigger log" in replies[-1].text
    (question,) = sent(await alex.tap("Continue where I left off"))
    assert "What did you feel" in question.text


async def test_log_it_now_from_inside_another_conversation_asks_to_switch(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await evening(alex)
    offer = alex.last_message()
    assert offer is not None and OFFER in (offer.text or "")
    await alex.ask("/repair")  # started something else before answering the offer

    replies = sent(await alex.tap("Log it now", offer))
    assert "You're in the middle of a repair plan" in replies[-1].text
    replies = sent(await alex.tap("Switch"))
    assert "camera" in replies[-1].text
    (emotions,) = sent(await alex.ask("A moment at work."))
    assert "What did you feel" in emotions.text

"""Crisis language typed as an answer in the middle of any flow: care comes first, in its own
message, before the next question; the answer is kept and the flow carries on at the next step."""

from __future__ import annotations

from bot.store import checkins, repairs, triggers
from tests.e2e.rig import BotRig, sent
from tests.fakebot import BotEvent, FakeUser

CARE = "I'm really glad you told me"
CRISIS = "Honestly I just want to die"


async def care_then(user: FakeUser, text: str = CRISIS) -> BotEvent:
    """Type ``text``; the first message back is the caring one and exactly one follows it."""
    care, following = sent(await user.ask(text))
    assert CARE in (care.text or "") and "findahelpline.com" in (care.text or "")
    assert CARE not in (following.text or "")
    return following


async def test_morning_check_in_need_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # feelings
    (need,) = await alex.tap("Skip")  # intensity: the question becomes the next one in place
    assert "What do you need today" in need.text

    commitment = await care_then(alex)
    assert "One small commitment" in commitment.text  # the next step, not the need again
    (draft,) = checkins.for_user(rig.db, 1001)
    assert draft.need == CRISIS and draft.status == "draft"  # kept verbatim
    (done,) = sent(await alex.tap("Skip"))
    assert "Thank you for checking in" in done.text


async def test_evening_check_in_note_step_and_a_button_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/checkin evening")
    (note,) = await alex.tap("Mixed")  # edited in place into the next question
    assert "Anything you'd like to note" in note.text

    triggered = await care_then(alex)
    assert "Was anything triggering today?" in triggered.text
    # Typed where buttons are expected: care first, then the hint; the step stays.
    hint = await care_then(alex, "I don't want to be alive anymore")
    assert "Tap one of the buttons" in hint.text
    (repair,) = await alex.tap("No")
    assert "repair" in repair.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert row.interactions_note == CRISIS and row.triggered == "no"


async def test_trigger_story_step(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/trigger")
    await alex.ask("My partner left the room mid-sentence.")
    await alex.tap("Skip")  # feelings
    (body,) = sent(await alex.tap("Skip"))  # intensity
    assert "body" in body.text
    (story,) = sent(await alex.ask("A knot in my stomach"))
    assert "What story did you tell yourself" in story.text

    traps = await care_then(alex, "That nobody would care if I killed myself")
    assert "Thinking traps" in traps.text
    entry = triggers.latest_draft(rig.db, 1001)
    assert entry is not None and entry.story == "That nobody would care if I killed myself"


async def test_repair_steps(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/repair")
    (what,) = sent(await alex.tap("Partner"))
    assert "What happened?" in what.text

    impact = await care_then(alex)
    assert "How do you think it affected them" in impact.text
    plan = repairs.latest_draft(rig.db, 1001)
    assert plan is not None and plan.what_happened == CRISIS


async def test_script_sentence_check(rig: BotRig) -> None:
    alex = await rig.onboarded()
    replies = sent(await alex.ask("/script istatement"))
    assert "Type the sentence" in replies[-1].text
    reply = await care_then(alex, "I feel like I want to die when you ignore me")
    assert reply.labels == ["Check another"]  # the coach still looked at the sentence

"""/noticed end to end: a corrective moment in four skippable steps, cancel and resume, a
restart, crisis language at a step, the offers after a warm evening and a repair that went
well, and the moment in /history."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.models import NoticedMoment, TriggerEntry
from bot.store import noticed as store
from bot.store import triggers
from tests.e2e.helpers import (
    CRISIS,
    care_only,
    carry_on,
    failed_requests,
    plan_full_repair,
    send_due_followup,
    skip_to_end,
)
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot.state import BotEvent
from tests.fakebot.user import FakeUser


def moments(rig: BotRig, user_id: int = 1001) -> list[NoticedMoment]:
    with rig.db.session() as s:
        rows = s.exec(select(NoticedMoment).where(NoticedMoment.user_id == user_id)).all()
        return sorted(rows, key=lambda m: m.id or 0)


def open_moment(rig: BotRig, user_id: int = 1001) -> NoticedMoment:
    found = store.latest_draft(rig.db, user_id)
    assert found is not None
    return found


async def note_moment(user: FakeUser, who: str, expected: str, actual: str, meaning: str) -> str:
    """/noticed answered whole (a person typed or tapped); returns the read-back."""
    await user.ask("/noticed")
    if who in (user.last_message().labels or []):
        await user.tap(who)
    else:
        await user.ask(who)
    await user.ask(expected)
    await user.ask(actual)
    (saved,) = sent(await user.ask(meaning))
    return saved.text or ""


async def test_every_step_then_the_moment_read_back(rig: BotRig) -> None:
    alex = await rig.onboarded()
    replies = sent(await alex.ask("/noticed"))
    assert "calm, care or reliability" in texts(replies)
    who = replies[-1]
    assert "Who was it" in who.text and "Partner" in who.labels and "Skip" in who.labels
    (asked,) = await alex.tap("Partner")  # the question turns into the next one in place
    assert asked.kind == "edit" and "→ Partner" in asked.text and "old fear expect" in asked.text
    assert open_moment(rig).person == "Partner"
    replies = await alex.ask("That they'd sigh and be annoyed I asked again.")
    assert "actually do or say" in sent(replies)[-1].text
    replies = await alex.ask("They put the phone down and said: tell me.")
    assert "What does it tell you" in sent(replies)[-1].text
    (saved,) = sent(await alex.ask("Asking twice is allowed."))

    assert "Saved, in your words" in saved.text
    assert "Who: Partner" in saved.text
    assert "The old fear expected: That they'd sigh and be annoyed I asked again." in saved.text
    assert "What they actually did: They put the phone down and said: tell me." in saved.text
    assert "What it tells me: Asking twice is allowed." in saved.text
    assert "I'll show you this one" in saved.text
    (done,) = moments(rig)
    assert done.status == "completed" and done.completed_at is not None
    assert failed_requests(rig) == []


async def test_skipping_everything_still_saves(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/noticed")
    (saved,) = await skip_to_end(alex)
    assert "You skipped the questions" in saved.text and "Who:" not in saved.text
    (done,) = moments(rig)
    assert done.status == "completed"
    assert (done.person, done.expected, done.actual, done.meaning) == (None, None, None, None)


async def test_cancel_keeps_the_draft_and_noticed_resumes_it(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/noticed")
    await alex.ask("Sam")
    await alex.ask("That Sam would forget.")
    (note,) = sent(await alex.ask("/cancel"))
    assert "kept as a draft" in note.text and "/noticed" in note.text

    (question,) = sent(await alex.ask("/noticed"))
    assert "unfinished moment" in question.text and "2 of 4" in question.text
    replies = await alex.tap("Continue where I left off")
    assert "actually do or say" in sent(replies)[-1].text
    await rig.restart()  # a restart in the middle loses nothing
    replies = await alex.ask("Sam was there at 7, as promised.")
    assert "What does it tell you" in sent(replies)[-1].text
    (saved,) = sent(await alex.tap("Skip"))
    assert "Sam was there at 7, as promised." in saved.text and "Who: Sam" in saved.text
    (done,) = moments(rig)
    assert (done.person, done.expected, done.meaning) == ("Sam", "That Sam would forget.", None)

    # Next time the label typed before is offered first, and "Start fresh" puts a draft aside.
    await alex.ask("/noticed")
    assert alex.last_message().labels[0] == "Sam"
    await alex.tap("Sam")
    await alex.ask("/noticed")
    replies = await alex.tap("Start fresh")
    assert "fresh page" in texts(replies)
    assert sorted(m.status for m in moments(rig)) == ["closed", "completed", "draft"]


async def test_crisis_language_at_a_step_gets_care_and_is_never_quoted(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/noticed")
    await alex.tap("Friend")
    await care_only(alex)  # typed where the old fear is asked: kept, and care comes first
    question = await carry_on(alex)
    assert "actually do or say" in question.text
    assert open_moment(rig).expected == CRISIS  # the entry keeps what was written
    await alex.ask("They called me straight back.")
    (saved,) = sent(await alex.tap("Skip"))
    assert CRISIS not in saved.text and "called me straight back" in saved.text
    assert "The old fear expected" not in saved.text


async def test_typed_where_a_button_is_expected_and_stickers(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/noticed")
    await alex.send_sticker()
    assert "only read text" in texts(await alex.replies_until_idle())
    replies = await alex.ask("  my   boss ")  # a name typed at the button step
    assert "old fear expect" in sent(replies)[-1].text
    assert open_moment(rig).person == "my boss"


async def finish_evening(user: FakeUser) -> None:
    """Skip the rest of an evening check-in ("There was none" for the commitment)."""
    for _ in range(8):
        labels = user.last_message().labels
        if "Skip" in labels:
            await user.tap("Skip")
        elif "There was none" in labels:
            await user.tap("There was none")
        else:
            return
    raise AssertionError("the check-in never ended")


async def test_offered_after_a_mostly_warm_evening(rig: BotRig) -> None:
    alex = await rig.onboarded()
    rig.clock.set(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    await alex.ask("/checkin evening")
    await alex.tap("Mostly warm")
    await finish_evening(alex)
    offer = alex.last_message()
    assert "mostly warm" in offer.text and offer.labels == ["Note the moment"]
    replies = await alex.tap("Note the moment")
    assert "Who was it" in sent(replies)[-1].text

    # A harder evening is not offered it.
    rig.clock.set(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    await alex.ask("/cancel")
    await alex.ask("/checkin evening")
    await alex.tap("Hard")
    await finish_evening(alex)
    assert "Note the moment" not in texts(await alex.replies_until_idle())
    assert "Note the moment" not in (alex.last_message().labels or [])


async def test_offered_after_a_repair_that_happened(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    await send_due_followup(rig)
    await alex.replies_until_idle()
    await alex.tap("It happened")
    replies = sent(await alex.ask("Going slow helped."))
    assert "corrective experience" in texts(replies)
    assert replies[-1].labels == ["Note the moment"]
    replies = await alex.tap("Note the moment")
    assert "Who was it" in sent(replies)[-1].text


async def test_a_moment_in_history(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "Partner", "a sigh", "a hug", "closeness can hold a question")
    replies = await alex.ask("/history")
    entry = [label for label in alex.last_message().labels if "Moment noticed" in label]
    assert entry and "Partner" in entry[0], texts(replies)
    (shown,) = await alex.tap(entry[0])
    assert "What they actually did:\na hug" in shown.text
    assert "The old fear expected:\na sigh" in shown.text


# --- evidence from one's own life -------------------------------------------------------------


async def trigger_up_to_evidence_against(user: FakeUser, who: str) -> BotEvent:
    """/trigger to "what facts don't fit it?" with ``who`` as the person; that question."""
    await user.ask("/trigger")
    await user.ask("They went quiet at dinner.")
    await user.tap("Skip")  # emotions
    await user.tap("Skip")  # intensity
    await user.tap("Skip")  # body
    if who in user.last_message().labels:
        await user.tap(who)
    else:
        await user.ask(who)
    await user.ask("They're tired of me.")
    await user.tap("None of these")
    (question,) = sent(await user.ask("They didn't talk much."))
    return question


async def test_a_moment_noticed_comes_back_when_a_thought_record_is_about_them(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "Sam", "Sam would be cold", "Sam hugged me at the door", "Sam stays")
    rig.clock.set(datetime(2026, 3, 5, 18, 0, tzinfo=UTC))
    await note_moment(alex, "Partner", "a sigh", "a hug", "closeness holds")

    question = await trigger_up_to_evidence_against(alex, "sam")
    assert "facts don't fit" in question.text
    assert "From your own life — moments you noticed with Sam:" in question.text
    assert "Mon 2 Mar, Sam" in question.text
    assert "What they actually did: Sam hugged me at the door" in question.text
    assert "a hug" not in question.text  # only the moments with Sam
    assert question.labels == ["Skip"]
    await alex.ask("Sam hugged me on Monday.")
    entry = draft_of(rig)
    assert entry is not None and entry.evidence_against == "Sam hugged me on Monday."


async def test_none_with_that_person_shows_the_latest_with_anyone(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "Partner", "a sigh", "a hug", "closeness holds")
    question = await trigger_up_to_evidence_against(alex, "my boss")
    assert "moments you noticed recently" in question.text and "a hug" in question.text


async def test_no_moments_no_evidence(rig: BotRig) -> None:
    alex = await rig.onboarded()
    question = await trigger_up_to_evidence_against(alex, "Partner")
    assert "From your own life" not in question.text
    assert question.text.startswith("What facts don't fit it")


async def test_crisis_words_in_a_moment_are_never_brought_back(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/noticed")
    await alex.tap("Partner")
    await care_only(alex)
    await carry_on(alex)
    await alex.ask("They sat with me all evening.")
    await alex.tap("Skip")
    question = await trigger_up_to_evidence_against(alex, "Partner")
    assert "They sat with me all evening." in question.text
    assert CRISIS not in question.text and "The old fear expected" not in question.text


async def test_a_moment_noticed_comes_back_in_a_repair_plan(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await note_moment(alex, "Partner", "They'd shut down", "They listened to the end", "I can ask")
    await alex.ask("/repair")
    await alex.tap("Partner")
    (impact,) = sent(await alex.ask("I snapped at them about the bills."))
    assert "How do you think it affected them" in impact.text
    assert "moments you noticed with Partner" in impact.text
    assert "What they actually did: They listened to the end" in impact.text


def draft_of(rig: BotRig) -> TriggerEntry | None:
    return triggers.latest_draft(rig.db, 1001)


async def test_moments_in_the_weekly_summary_in_the_users_words(rig: BotRig) -> None:
    alex = await rig.onboarded()
    before = await alex.ask("/summary")
    assert "Moments noticed" not in texts(before)
    await note_moment(alex, "Sam", "Sam would leave", "Sam stayed and listened", "I can ask")
    await alex.ask("/noticed")
    await alex.tap("Sam")
    await alex.ask("Sam would be cold")
    await alex.ask("Sam hugged me")
    await care_only(alex)  # the lesson step: kept as the answer, never quoted back
    await alex.tap("Carry on where we were")  # the last answer kept: the moment is saved
    await alex.ask("/noticed")  # a draft never finished does not count
    await alex.tap("Sam")
    await alex.ask("/cancel")
    rig.clock.advance(minutes=5)  # past the pause between two summaries
    summary, _chart = await alex.ask("/summary")
    text = summary.text or ""
    assert "Moments noticed, when someone met the old fear with care: 2" in text
    assert "What one of them told you: “I can ask”" in text
    assert CRISIS not in text

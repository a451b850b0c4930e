"""/practice end to end: building the ladder, logging practices (stay, step up, a high peak,
skip everything), /cancel and resume, a restart in the middle, person labels shared with
/noticed and merged, /history, the summary, practices as evidence in a later thought record,
and the ladder in Russian. Planning a practice is test_practice_plan.py."""

from __future__ import annotations

from sqlmodel import select

from bot.models import PracticeLog, PracticeRung
from bot.store import triggers
from tests.e2e.any_language import first, last, onboard, say
from tests.e2e.english import english_in
from tests.e2e.helpers import CRISIS, care_only, carry_on, failed_requests, skip_to_end
from tests.e2e.rig import BotRig, sent, shown, texts
from tests.e2e.test_noticed import note_moment, trigger_up_to_evidence_against
from tests.fakebot.state import BotEvent
from tests.fakebot.user import FakeUser


def rows(rig: BotRig, model: type, user_id: int = 1001) -> list:
    with rig.db.session() as s:
        found = s.exec(select(model).where(model.user_id == user_id)).all()  # type: ignore[attr-defined]
        return sorted(found, key=lambda r: r.id or 0)


async def answer(user: FakeUser, *answers: str) -> list[BotEvent]:
    """Each answer in turn: tapped when the latest message has it as a button, else typed;
    the new messages the last one brought."""
    got: list[BotEvent] = []
    for text in answers:
        labels = user.last_message().labels or []
        got = await (user.tap(text) if text in labels else user.ask(text))
    return shown(got)


async def add_rung(user: FakeUser, area: str | None, starter: str, expected: str) -> list:
    """Build my ladder: an area (or skip), a starter (or typed words), the distress expected."""
    await answer(user, "/practice", "Build my ladder", area or "Skip")
    if starter not in (user.last_message().labels or []):
        await user.tap("Type my own")
    return await answer(user, starter, expected)


async def two_rungs(user: FakeUser) -> None:
    await add_rung(user, "Sharing a feeling", "Tell someone one small feeling from my day", "3")
    await add_rung(user, None, "Ask Sam to hug me first", "6")


async def log_practice(
    user: FakeUser, rung: str, who: str, before: str, peak: str, after: str
) -> str:
    """Log a practice with its numbers, typing every free-text answer; returns the pacing
    question's text."""
    (question,) = await answer(
        user,
        *("/practice", "Log a practice", rung, who, before, peak, after),
        "Warm face, fast heart",
        "Sam listened and nodded",
        "That Sam would change the subject",
        "Sam asked a question back",
        "Saying it early in the evening is easier",
    )
    return question.text or ""


async def practised_with_sam(rig: BotRig) -> FakeUser:
    """A user with two rungs who practised the higher one with Sam once (6 → 7 → 4, stay)."""
    alex = await rig.onboarded()
    await two_rungs(alex)
    await log_practice(alex, "Ask Sam to hug me first", "Sam", "6", "7", "4")
    await alex.tap("Stay on this rung")
    return alex


async def test_build_a_ladder_ordered_by_expected_distress(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (menu,) = sent(await alex.ask("/practice"))
    assert "at your pace" in menu.text
    assert menu.labels == ["Build my ladder", "Log a practice", "Plan a practice", "My ladder"]
    replies = shown(await alex.tap("Build my ladder"))
    area = replies[-1]
    assert "Which kind of closeness" in area.text
    assert area.labels[:5] == [
        "Sharing a feeling",
        "Asking for support",
        "Receiving care",
        "Staying in a disagreement",
        "Setting a boundary kindly",
    ]
    replies = shown(await alex.tap("Setting a boundary kindly"))
    assert replies[-1].labels == [
        "Say no to a small request, kindly",
        "Ask for time before I answer",
        "Type my own",
    ]
    replies = shown(await alex.tap("Ask for time before I answer"))
    assert "How much distress" in replies[-1].text and "Skip" not in replies[-1].labels
    (added,) = shown(await alex.tap("5"))
    assert "Added to your ladder: Ask for time before I answer (expected 5/10)" in added.text
    assert "Add another rung" in added.labels

    await add_rung(alex, None, "Tell Sam “I missed you” 💛", "2")
    (ladder,) = shown(await alex.tap("My ladder"))
    assert "1. Tell Sam “I missed you” 💛 · expected 2/10 · next" in ladder.text
    assert "2. Ask for time before I answer · expected 5/10" in ladder.text
    assert ladder.text.index("missed you") < ladder.text.index("Ask for time")
    rungs = rows(rig, PracticeRung)
    assert [(r.area, r.expected, r.status) for r in rungs] == [
        ("boundary", 5, "completed"),
        (None, 2, "completed"),
    ]
    assert failed_requests(rig) == []


async def test_log_stay_then_step_up_once_the_distress_came_down_twice(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await alex.ask("/practice")
    replies = shown(await alex.tap("Log a practice"))
    assert "A few short questions" in texts(replies)
    pick = replies[-1]
    assert "Suggested, at your pace: Tell someone one small feeling from my day" in pick.text
    assert pick.labels == [
        "Tell someone one small feeling from my day",
        "Ask Sam to hug me first",
        "Skip",
    ]
    await alex.ask("/cancel")

    question = await log_practice(
        alex, "Tell someone one small feeling from my day", "Sam", "6", "7", "4"
    )
    assert "came down afterwards on 1 of 2 tries" in question
    assert alex.last_message().labels == ["Stay on this rung", "Step up", "Skip"]
    (saved,) = shown(await alex.tap("Stay on this rung"))
    assert "Saved, in your words" in saved.text
    assert "Rung: Tell someone one small feeling from my day" in saved.text
    assert "With: Sam" in saved.text
    assert "Distress before 6 · peak 7 · after 4" in saved.text
    assert "What I feared: That Sam would change the subject" in saved.text
    assert "Staying on this rung for now." in saved.text and "at your pace" in saved.text

    question = await log_practice(
        alex, "Tell someone one small feeling from my day", "Sam", "5", "6", "3"
    )
    assert "came down afterwards on two tries" in question
    assert "the next one up is: Ask Sam to hug me first" in question
    (saved,) = shown(await alex.tap("Step up"))
    assert "Next time, one rung up." in saved.text
    await alex.ask("/practice")
    replies = shown(await alex.tap("Log a practice"))
    assert "Suggested, at your pace: Ask Sam to hug me first" in replies[-1].text
    assert replies[-1].labels[0] == "Ask Sam to hug me first"
    await alex.ask("/cancel")
    (ladder,) = sent(await await_menu(alex))
    assert "practised 2×, calmer afterwards 2× · steady ✓" in ladder.text
    logs = [log for log in rows(rig, PracticeLog) if log.status == "completed"]
    assert [(log.before, log.peak, log.after, log.decision) for log in logs] == [
        (6, 7, 4, "stay"),
        (5, 6, 3, "step_up"),
    ]
    assert failed_requests(rig) == []


async def await_menu(user: FakeUser) -> list:
    await user.ask("/practice")
    return await user.tap("My ladder")


async def test_a_high_peak_suggests_a_smaller_rung(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    question = await log_practice(alex, "Ask Sam to hug me first", "Partner", "7", "9", "6")
    assert "The peak was high (9/10)" in question and "not a failure" in question
    assert "Tell someone one small feeling from my day" in question


async def test_skipping_everything_still_saves_without_a_word_of_blame(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await alex.ask("/practice")
    await alex.tap("Log a practice")
    (saved,) = await skip_to_end(alex)
    assert "You skipped the questions, and that's okay" in saved.text
    (log,) = rows(rig, PracticeLog)
    assert log.status == "completed" and log.rung_id is None and log.decision is None
    assert (log.before, log.body, log.learned) == (None, None, None)


async def test_cancel_keeps_the_draft_and_a_restart_in_the_middle_loses_nothing(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await answer(alex, "/practice", "Log a practice", "Ask Sam to hug me first", "Sam", "4")
    (note,) = sent(await alex.ask("/cancel"))
    assert "kept as a draft" in note.text

    await alex.ask("/practice")
    (question,) = shown(await alex.tap("Log a practice"))
    assert "unfinished practice" in question.text and "3 of 11" in question.text
    replies = shown(await alex.tap("Continue where I left off"))
    assert "at its peak" in replies[-1].text
    await rig.restart()
    replies = shown(await alex.tap("8"))
    assert "afterwards, once it was over" in replies[-1].text
    (question,) = await answer(alex, "5", *["Skip"] * 5)
    assert "The peak was high (8/10)" in question.text
    (saved,) = shown(await alex.tap("Stay on this rung"))
    assert "Distress before 4 · peak 8 · after 5" in saved.text and "With: Sam" in saved.text
    (log,) = rows(rig, PracticeLog)
    assert (log.person, log.before, log.peak, log.after, log.decision) == ("Sam", 4, 8, 5, "stay")

    # A rung left half-built is resumed the same way.
    await answer(alex, "/practice", "Build my ladder", "Receiving care", "/cancel")
    (question,) = await answer(alex, "/practice", "Build my ladder")
    assert "unfinished rung" in question.text
    replies = shown(await alex.tap("Continue where I left off"))
    assert "Take a compliment without brushing it off" in replies[-1].labels


async def test_logging_needs_a_rung_first_and_says_so_kindly(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/practice")
    (empty,) = shown(await alex.tap("Log a practice"))
    assert "no rungs yet" in empty.text and empty.labels == ["Build my ladder"]
    replies = shown(await alex.tap("Build my ladder"))
    assert "Which kind of closeness" in replies[-1].text
    await alex.ask("/practice")
    (ladder,) = shown(await alex.tap("My ladder"))
    assert "empty so far" in ladder.text


async def test_a_person_label_is_one_list_with_noticed_and_merge_covers_practices(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await note_moment(alex, "Jo", "Jo would be cold", "Jo hugged me", "Jo is warm")
    await alex.ask("/practice")
    await alex.tap("Log a practice")
    replies = shown(await alex.tap("Ask Sam to hug me first"))
    assert replies[-1].labels[0] == "Jo"  # the label typed in /noticed
    await alex.ask("jojo")
    await alex.ask("/cancel")
    await alex.ask("/noticed")
    assert "jojo" in alex.last_message().labels  # the label typed in /practice
    await alex.ask("/cancel")

    await alex.ask("/settings")
    await alex.tap("👥 People")
    await alex.tap("jojo")
    (merged,) = await alex.tap("Jo")
    assert "now names “Jo”" in merged.text
    (log,) = rows(rig, PracticeLog)
    assert log.person == "Jo"


async def test_a_practice_in_history(rig: BotRig) -> None:
    alex = await practised_with_sam(rig)
    replies = await alex.ask("/history")
    entry = [label for label in alex.last_message().labels if "Practice" in label]
    assert entry and "Sam" in entry[0], texts(replies)
    (shown,) = await alex.tap(entry[0])
    assert "Rung:\nAsk Sam to hug me first" in shown.text
    assert "Distress before · peak · after: 6/10 · 7/10 · 4/10" in shown.text
    assert "What I feared:\nThat Sam would change the subject" in shown.text
    assert "Next: Stay on this rung" in shown.text


async def test_the_ladder_in_russian(rig: BotRig) -> None:
    seen: list[BotEvent] = []
    lena = rig.user(3101, "Лена", language_code="ru")
    await onboard(lena, "Москва", seen)
    await say(lena, "/practice", seen)
    await first(lena, seen)  # build my ladder
    await first(lena, seen)  # sharing a feeling
    await first(lena, seen)  # the first starter
    await first(lena, seen)  # expected 0
    await say(lena, "/practice", seen)
    seen += await lena.tap(data="pr:log")  # log a practice
    await first(lena, seen)  # the rung
    await say(lena, "Лена", seen)
    for _ in range(3):
        await first(lena, seen)  # 0 … 0
    for _ in range(5):
        await last(lena, seen)  # skip
    await first(lena, seen)  # stay
    assert english_in(seen, "ru") == []
    assert "Сохранено" in texts(seen) and "Остаюсь на этой ступени" not in texts(seen)
    assert "Пока остаюсь на этой ступени." in texts(seen)
    (log,) = rows(rig, PracticeLog, 3101)
    assert (log.before, log.after, log.decision) == (0, 0, "stay")


async def test_the_summary_counts_practices_and_the_distress_before_and_after(
    rig: BotRig,
) -> None:
    alex = await practised_with_sam(rig)
    await log_practice(alex, "Ask Sam to hug me first", "Sam", "5", "6", "2")
    await alex.tap("Step up")
    await log_practice(alex, "Tell someone one small feeling from my day", "Sam", "3", "4", "1")
    await alex.tap("Stay on this rung")
    replies = await alex.ask("/summary")
    shown = texts(replies)
    assert "Closeness practices: 3 · distress before → after, on average: 4.7 → 2.3" in shown
    assert "• Ask Sam to hug me first: 5.5 → 3.0" in shown  # per rung, in the user's words
    assert "• Tell someone one small feeling from my day: 3.0 → 1.0" in shown
    assert "In your words: “Saying it early in the evening is easier”" in shown


async def test_a_practice_with_them_comes_back_as_evidence_in_a_thought_record(
    rig: BotRig,
) -> None:
    alex = await practised_with_sam(rig)
    question = await trigger_up_to_evidence_against(alex, "sam")
    assert "Practices on your closeness ladder with Sam:" in question.text
    assert ": Ask Sam to hug me first" in question.text
    assert "What I feared: That Sam would change the subject" in question.text
    assert "What happened: Sam asked a question back" in question.text
    assert "moments you noticed" not in question.text  # none noticed: no empty heading
    await alex.ask("/cancel")
    triggers.close_drafts(rig.db, 1001, rig.clock())

    await note_moment(alex, "Jo", "Jo would be cold", "Jo hugged me", "Jo is warm")
    question = await trigger_up_to_evidence_against(alex, "Kim")  # no one named Kim: anyone
    assert "moments you noticed recently:" in question.text and "Jo hugged me" in question.text
    assert "Practices on your closeness ladder, recently:" in question.text


async def test_crisis_language_at_a_step_gets_care_and_is_never_quoted(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await two_rungs(alex)
    await answer(
        alex, "/practice", "Log a practice", "Ask Sam to hug me first", "Skip", "5", "6", "4"
    )
    await care_only(alex)  # typed where the body is asked: kept, and care comes first
    question = await carry_on(alex)
    assert "What did the other person do" in question.text
    (saved,) = await answer(alex, "Sam smiled", "Skip", "Skip", "Skip", "Stay on this rung")
    assert CRISIS not in saved.text and "In the body" not in saved.text
    assert "What they did: Sam smiled" in saved.text
    (log,) = rows(rig, PracticeLog)
    assert log.body == CRISIS  # the entry keeps what was written


async def test_a_rung_taken_off_the_ladder_keeps_its_practices(rig: BotRig) -> None:
    alex = await practised_with_sam(rig)
    (ladder,) = shown(await alex.tap("My ladder"))
    assert ladder.labels[-1] == "➖ Take a rung off"
    (which,) = await alex.tap("➖ Take a rung off")
    assert "Which rung" in which.text
    assert which.labels == [
        "Tell someone one small feeling from my day",
        "Ask Sam to hug me first",
        "My ladder",
    ]
    (sure,) = await alex.tap("Ask Sam to hug me first")
    assert "Take “Ask Sam to hug me first” off your ladder?" in sure.text
    assert sure.labels == ["Yes, take it off", "Keep it"]
    (done,) = await alex.tap("Yes, take it off")
    assert "Taken off your ladder: Ask Sam to hug me first" in done.text
    (ladder,) = shown(await alex.tap("My ladder"))
    assert "Ask Sam" not in ladder.text and "Tell someone one small feeling" in ladder.text
    assert [r.status for r in rows(rig, PracticeRung)] == ["completed", "closed"]
    assert len(rows(rig, PracticeLog)) == 1  # the practice logged on it stays

    bob = await rig.onboarded(2002, "Bob")  # someone else's button changes nothing
    (mine,) = [r for r in rows(rig, PracticeRung) if r.status == "completed"]
    await bob.press_data(f"pr:offyes:{mine.id}")
    assert "isn't on your ladder" in texts(await bob.replies_until_idle())
    assert [r.status for r in rows(rig, PracticeRung)] == ["completed", "closed"]

"""/practice end to end: building the ladder, logging practices (stay, step up, skip
everything), /cancel and resume, a restart in the middle, planning a practice with its
reminder and follow-up through the sweep, person labels shared with /noticed, and /history."""

from __future__ import annotations

from sqlmodel import select

from bot.models import PracticeLog, PracticeRung
from tests.e2e.helpers import failed_requests, skip_to_end
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot.user import FakeUser


def rows(rig: BotRig, model: type, user_id: int = 1001) -> list:
    with rig.db.session() as s:
        found = s.exec(select(model).where(model.user_id == user_id)).all()  # type: ignore[attr-defined]
        return sorted(found, key=lambda r: r.id or 0)


async def add_rung(user: FakeUser, area: str | None, starter: str, expected: str) -> list:
    """Build my ladder: an area (or skip), a starter (or typed words), the distress expected."""
    await user.ask("/practice")
    await user.tap("Build my ladder")
    await user.tap(area) if area else await user.tap("Skip")
    if starter in (user.last_message().labels or []):
        await user.tap(starter)
    else:
        await user.tap("Type my own")
        await user.ask(starter)
    return sent(await user.tap(expected))


async def two_rungs(user: FakeUser) -> None:
    await add_rung(user, "Sharing a feeling", "Tell someone one small feeling from my day", "3")
    await add_rung(user, None, "Ask Sam to hug me first", "6")


async def log_practice(
    user: FakeUser, rung: str, who: str, before: str, peak: str, after: str
) -> str:
    """Log a practice with its numbers, typing every free-text answer; returns the pacing
    question's text."""
    await user.ask("/practice")
    await user.tap("Log a practice")
    await user.tap(rung)
    if who in (user.last_message().labels or []):
        await user.tap(who)
    else:
        await user.ask(who)
    await user.tap(before)
    await user.tap(peak)
    await user.tap(after)
    await user.ask("Warm face, fast heart")
    await user.ask("Sam listened and nodded")
    await user.ask("That Sam would change the subject")
    await user.ask("Sam asked a question back")
    (question,) = sent(await user.ask("Saying it early in the evening is easier"))
    return question.text or ""


async def test_build_a_ladder_ordered_by_expected_distress(rig: BotRig) -> None:
    alex = await rig.onboarded()
    (menu,) = sent(await alex.ask("/practice"))
    assert "at your pace" in menu.text
    assert menu.labels == ["Build my ladder", "Log a practice", "Plan a practice", "My ladder"]
    replies = sent(await alex.tap("Build my ladder"))
    area = replies[-1]
    assert "Which kind of closeness" in area.text
    assert area.labels[:5] == [
        "Sharing a feeling",
        "Asking for support",
        "Receiving care",
        "Staying in a disagreement",
        "Setting a boundary kindly",
    ]
    replies = sent(await alex.tap("Setting a boundary kindly"))
    assert replies[-1].labels == [
        "Say no to a small request, kindly",
        "Ask for time before I answer",
        "Type my own",
    ]
    replies = sent(await alex.tap("Ask for time before I answer"))
    assert "How much distress" in replies[-1].text and "Skip" not in replies[-1].labels
    (added,) = sent(await alex.tap("5"))
    assert "Added to your ladder: Ask for time before I answer (expected 5/10)" in added.text
    assert "Add another rung" in added.labels

    await add_rung(alex, None, "Tell Sam “I missed you” 💛", "2")
    (ladder,) = sent(await alex.tap("My ladder"))
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
    replies = sent(await alex.tap("Log a practice"))
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
    (saved,) = sent(await alex.tap("Stay on this rung"))
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
    (saved,) = sent(await alex.tap("Step up"))
    assert "Next time, one rung up." in saved.text
    await alex.ask("/practice")
    replies = sent(await alex.tap("Log a practice"))
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

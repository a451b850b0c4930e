"""A week of partly answered check-ins, read by the scheduled weekly summary (issue 24, 1).

Every morning Alex names a feeling, its intensity and what they need, and leaves the last
question (the commitment) unanswered; the next morning's prompt closes the check-in, answers
kept. Showing up is the practice: on Sunday the sweep sends a summary with a 7-day streak,
not "a quiet week".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import checkins
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeUser

# Onboarded Monday 2026-03-02 at 10:00 in Berlin (09:00 UTC); mornings at 08:00 (07:00 UTC),
# the weekly summary on Sunday at 19:00 (18:00 UTC).
FIRST_MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
SUNDAY_SUMMARY = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)


async def answer_all_but_the_commitment(alex: FakeUser, need: str) -> None:
    await alex.tap("Scared")
    await alex.tap("anxious")
    await alex.tap("Done (1 chosen)")
    await alex.tap("6")
    replies = await alex.ask(need)
    assert "One small commitment" in texts(replies)  # … and Alex puts the phone away


async def test_a_week_of_partly_answered_check_ins_is_a_week_of_practice(rig: BotRig) -> None:
    alex = await rig.onboarded(1001, "Alex")
    await alex.ask("/checkin morning")  # Monday, after the 08:00 prompt time
    await answer_all_but_the_commitment(alex, "Some quiet")
    for day in range(6):  # Tuesday to Sunday, each from the morning prompt
        await rig.sweep(FIRST_MORNING + timedelta(days=day))
        (prompt,) = sent(await alex.replies_until_idle())
        assert "Good morning, Alex" in (prompt.text or "")
        await alex.tap("Start")
        await answer_all_but_the_commitment(alex, f"Rest, day {day + 2}")

    stored = checkins.for_user(rig.db, 1001)
    assert [c.status for c in stored] == ["closed"] * 6 + ["draft"]  # none was finished
    assert all(c.intensity == 6 for c in stored)

    report = await rig.sweep(SUNDAY_SUMMARY)
    assert report.sent == 1  # not skipped as "quiet"
    summary, chart = sent(await alex.replies_until_idle())
    print("\n--- what Alex reads on Sunday ---\n" + (summary.text or ""))
    assert summary.text == (
        "Your week: Mon 2 Mar – Sun 8 Mar\n\n"
        "Current streak: 7 days\n"
        "Best streak: 7 days\n\n"
        "Check-ins: 7 of 7 mornings, 0 of 6 evenings (7 partly answered, and each one counts)\n"
        "Most often you felt: anxious (7)\n"
        "Average intensity: 6.0 of 10\n\n"
        "For next week: You could pick one small commitment in a morning check-in, like "
        "“Ask for support once”."
    )
    assert chart.kind == "photo"

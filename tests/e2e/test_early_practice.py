"""A reminder for what the user already did is not sent (issue 24, 6).

A morning or evening check-in answered (one answer is enough) before its prompt's time that
local day means the prompt is skipped, and the next one is booked as usual; a weekly summary
the user asked for (/summary) within the hour is not sent again by the sweep.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.store import checkins
from tests.e2e.helpers import states
from tests.e2e.rig import BotRig, sent, texts

# Onboarded Monday 2026-03-02 10:00 in Berlin (CET, UTC+1): mornings 08:00, evenings 21:00,
# the weekly summary Sunday 19:00.
TUESDAY_MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
TUESDAY_EVENING = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
SUNDAY_SUMMARY = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)


async def test_a_morning_check_in_answered_at_7_55_gets_no_8_00_reminder(rig: BotRig) -> None:
    alex = await rig.onboarded(settle=True)
    rig.clock.set(TUESDAY_MORNING - timedelta(minutes=5))  # 07:55 in Berlin
    await alex.ask("/checkin morning")
    await alex.tap("Calm")
    await alex.tap("relaxed")
    await alex.tap("Done (1 chosen)")
    await alex.tap("5")
    await alex.ask("A slow breakfast")
    (done,) = sent(await alex.tap("Ask for support once"))
    assert "relaxed (5/10)" in (done.text or "")

    report = await rig.sweep(TUESDAY_MORNING)  # 08:00 (Monday's evening: long past, skipped)
    assert (report.late, report.answered, report.sent) == (1, 1, 0)
    assert sent(await alex.replies_until_idle()) == []
    assert states(rig, "morning") == [
        (TUESDAY_MORNING, "skipped"),
        (TUESDAY_MORNING + timedelta(days=1), "pending"),  # the next one, booked as usual
    ]

    # Wednesday nothing was done early: its prompt is sent.
    report = await rig.sweep(TUESDAY_MORNING + timedelta(days=1))
    assert (report.answered, report.sent) == (0, 1)
    (prompt,) = sent(await alex.replies_until_idle())
    assert "Good morning, Alex" in (prompt.text or "")


async def test_an_evening_check_in_under_way_is_neither_reminded_nor_closed(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded(settle=True)
    await rig.sweep(TUESDAY_MORNING)  # Tuesday's morning prompt (and its evening booked)
    await alex.replies_until_idle()
    rig.clock.set(TUESDAY_EVENING - timedelta(minutes=20))  # 20:40 in Berlin
    await alex.ask("/checkin evening")
    await alex.tap("Mostly warm")  # one answer, then still writing the note at 21:00

    report = await rig.sweep(TUESDAY_EVENING)
    assert (report.answered, report.sent) == (1, 0)
    assert sent(await alex.replies_until_idle()) == []
    (evening,) = checkins.for_user(rig.db, 1001)
    assert (evening.kind, evening.status) == (
        "evening",
        "draft",
    )  # the prompt did not close it: Alex carries on
    replies = await alex.ask("Dinner with Sam was easy")
    assert "trigger" in texts(replies).lower()
    assert states(rig, "evening")[-1] == (TUESDAY_EVENING + timedelta(days=1), "pending")


async def test_a_check_in_opened_but_not_answered_still_gets_its_reminder(rig: BotRig) -> None:
    alex = await rig.onboarded(settle=True)
    rig.clock.set(TUESDAY_MORNING - timedelta(hours=1))
    await alex.ask("/checkin morning")  # opened, nothing answered
    report = await rig.sweep(TUESDAY_MORNING)
    assert (report.answered, report.sent) == (0, 1)


async def test_yesterdays_check_in_does_not_silence_todays_reminder(rig: BotRig) -> None:
    alex = await rig.onboarded(settle=True)
    await alex.ask("/checkin morning")  # Monday 10:00
    await alex.tap("Sad")
    await alex.tap("lonely")
    report = await rig.sweep(TUESDAY_MORNING)
    assert (report.answered, report.sent) == (0, 1)
    assert [c.local_date for c in checkins.for_user(rig.db, 1001)] == [date(2026, 3, 2)]


async def test_a_snoozed_reminder_is_not_sent_once_the_check_in_is_answered(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded(settle=True)
    await rig.sweep(TUESDAY_MORNING)
    await alex.replies_until_idle()
    await alex.tap("Snooze 30 min")
    rig.clock.set(TUESDAY_MORNING + timedelta(minutes=10))
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # no feelings
    await alex.tap("7")
    await alex.replies_until_idle()

    report = await rig.sweep(TUESDAY_MORNING + timedelta(minutes=30))
    assert (report.claimed, report.answered, report.sent) == (1, 1, 0)
    assert sent(await alex.replies_until_idle()) == []


async def test_a_summary_asked_for_within_the_hour_is_not_sent_again(rig: BotRig) -> None:
    alex = await rig.onboarded(settle=True)
    await alex.ask("/checkin morning")
    await alex.tap("Calm")
    await alex.tap("relaxed")
    rig.clock.set(SUNDAY_SUMMARY - timedelta(minutes=20))  # Sunday 18:40 in Berlin
    asked = sent(await alex.ask("/summary"))
    assert asked[0].text is not None and asked[0].text.startswith("Your week: Mon 2 Mar")

    report = await rig.sweep(SUNDAY_SUMMARY)
    assert report.answered == 1
    assert not [e for e in sent(await alex.replies_until_idle()) if "Your week" in (e.text or "")]
    assert states(rig, "weekly") == [
        (SUNDAY_SUMMARY, "skipped"),
        (SUNDAY_SUMMARY + timedelta(days=7), "pending"),
    ]


async def test_a_summary_asked_for_earlier_that_day_does_not_stop_the_weekly_one(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded(settle=True)
    await alex.ask("/checkin morning")
    await alex.tap("Calm")
    await alex.tap("relaxed")
    rig.clock.set(SUNDAY_SUMMARY - timedelta(hours=1, minutes=1))
    await alex.ask("/summary")
    await alex.ask("/summary 4w")  # four weeks is another view: it does not count as the week
    await alex.replies_until_idle()

    report = await rig.sweep(SUNDAY_SUMMARY)
    assert (report.answered, report.sent) == (0, 1)
    weekly = [e for e in sent(await alex.replies_until_idle()) if e.kind == "message"]
    assert (weekly[0].text or "").startswith("Your week: Mon 2 Mar – Sun 8 Mar")

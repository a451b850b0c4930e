"""Check-in prompts end to end: the sweep sends them; unanswered, snoozed, skipped for the day,
expired or forged prompt buttons; a user marked gone who answers comes back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.store import checkins, prompts, users
from tests.e2e.helpers import EVENING_DUE, MORNING_DUE, prompt_of
from tests.e2e.rig import BotRig, sent, texts


async def test_unanswered_check_in_is_closed_when_the_next_arrives(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await prompt_of(rig, alex, MORNING_DUE)
    await alex.tap("Start")
    await alex.tap("Calm")
    await alex.tap("relaxed")

    await rig.sweep(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    (prompt,) = sent(await alex.replies_until_idle())
    assert "Evening" in (prompt.text or "")
    morning = checkins.for_user(rig.db, 1001)[0]
    assert morning.status == "closed" and morning.emotions == ["relaxed"]
    # The morning conversation is over: its buttons are stale now.
    replies = await alex.tap("Done (1 chosen)", message=alex.events[-2].message_id)
    assert "already ended" in texts(replies)


async def test_snooze_sends_it_again_30_minutes_later(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await prompt_of(rig, alex, MORNING_DUE)
    rig.clock.advance(minutes=2)
    (reply,) = sent(await alex.tap("Snooze 30 min"))
    assert "30 minutes" in reply.text and "08:32" in reply.text

    assert (await rig.sweep(datetime(2026, 3, 3, 7, 31, tzinfo=UTC))).sent == 0
    text = await prompt_of(rig, alex, datetime(2026, 3, 3, 7, 32, tzinfo=UTC))
    assert "morning check-in you snoozed" in text
    await alex.tap("Start")
    assert checkins.for_user(rig.db, 1001)[0].local_date == date(2026, 3, 3)


async def test_skip_today_records_a_rest_day(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await prompt_of(rig, alex, EVENING_DUE)
    (reply,) = sent(await alex.tap("Skip today"))
    assert "rest day" in reply.text
    (row,) = checkins.for_user(rig.db, 1001)
    assert (row.status, row.kind, row.local_date) == ("skipped", "evening", date(2026, 3, 2))


async def test_expired_prompt_buttons_say_so_kindly(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await prompt_of(rig, alex, EVENING_DUE)
    old = alex.last_message()
    assert old is not None
    await prompt_of(rig, alex, MORNING_DUE)
    (reply,) = sent(await alex.tap("Start", message=old))
    assert "expired" in reply.text and "/checkin" in reply.text
    assert checkins.for_user(rig.db, 1001) == []


async def test_forged_prompt_of_another_user_is_expired(rig: BotRig) -> None:
    alex = await rig.onboarded()
    sam = await rig.onboarded(1002, "Sam")
    await rig.sweep(EVENING_DUE)
    await alex.replies_until_idle()
    await sam.replies_until_idle()
    (sams,) = [p for p in prompts.for_user(rig.db, 1002) if p.state == "sent"]
    await alex.press_data(f"ci:skp:{sams.id}")
    replies = await alex.replies_until_idle()
    assert "expired" in texts(replies)
    assert checkins.for_user(rig.db, 1002) == []
    assert checkins.for_user(rig.db, 1001) == []


async def test_a_pending_snooze_is_dropped_when_the_next_check_in_arrives(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/evening 19:30")  # 18:30 UTC
    await prompt_of(rig, alex, MORNING_DUE)
    rig.clock.set(datetime(2026, 3, 3, 18, 10, tzinfo=UTC))  # snoozed until after the evening
    await alex.tap("Snooze 30 min")
    await prompt_of(rig, alex, datetime(2026, 3, 3, 18, 30, tzinfo=UTC))
    assert prompts.pending_for_user(rig.db, 1001, "snooze") == []
    assert (await rig.sweep(datetime(2026, 3, 3, 18, 45, tzinfo=UTC))).claimed == 0


async def test_a_check_in_answer_from_a_user_marked_gone_brings_them_back(rig: BotRig) -> None:
    """Marked inactive (a prompt failed while they had blocked the bot), they unblock and go on
    with the check-in they had open: the tap is answered and their prompts are back."""
    alex = await rig.onboarded()
    await alex.ask("/checkin morning")
    users.mark_inactive(rig.db, 1001, MORNING_DUE)
    prompts.cancel_pending(rig.db, 1001)

    (need,) = await alex.tap("Skip")  # the feelings
    assert "How strong" in (need.text or "")
    stored = users.get(rig.db, 1001)
    assert stored is not None and stored.active
    assert {p.kind for p in prompts.pending_for_user(rig.db, 1001)} == {
        "morning",
        "evening",
        "weekly",
    }

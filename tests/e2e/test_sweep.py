"""The sweep with a chosen `now`: due, late, already sent, paused, blocked, retried."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.handlers.common import Ctx
from bot.outbound.prune import prune_if_due
from bot.outbound.sweep import run_sweep
from bot.services.due import plan
from bot.store import checkins, prompts, users
from bot.store.claim import claim_tick
from bot.store.db import Database
from tests import seed
from tests.conftest import FakeClock
from tests.e2e.helpers import states
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeBotApi

# Onboarded at 2026-03-02 09:00 UTC in Berlin (CET): evening 21:00 = 20:00 UTC.
EVENING = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


async def test_due_prompt_is_sent_once_and_the_next_one_scheduled(rig: BotRig) -> None:
    alex = await rig.onboarded()
    assert (await rig.sweep(EVENING - timedelta(seconds=1))).claimed == 0
    report = await rig.sweep(EVENING)
    assert (report.claimed, report.sent) == (1, 1)
    (prompt,) = sent(await alex.replies_until_idle())
    assert "Evening, Alex" in prompt.text and "later" not in prompt.text
    assert states(rig, "evening") == [(EVENING, "sent"), (EVENING + timedelta(days=1), "pending")]

    # Already sent: neither another tick nor a restart right after sending sends it again.
    assert (await rig.sweep(EVENING + timedelta(seconds=5))).claimed == 0
    await rig.restart()
    assert (await rig.sweep(EVENING + timedelta(minutes=30))).claimed == 0
    assert sent(await alex.replies_until_idle()) == []


async def test_less_than_two_hours_late_is_sent_with_a_gentle_note(rig: BotRig) -> None:
    alex = await rig.onboarded()
    report = await rig.sweep(EVENING + timedelta(hours=1, minutes=59))
    assert report.sent == 1
    (prompt,) = sent(await alex.replies_until_idle())
    assert "a little later than planned" in prompt.text


async def test_two_hours_late_is_skipped_and_the_next_scheduled(rig: BotRig) -> None:
    alex = await rig.onboarded()
    report = await rig.sweep(EVENING + timedelta(hours=2))
    assert (report.late, report.sent) == (1, 0)
    assert sent(await alex.replies_until_idle()) == []
    assert states(rig, "evening") == [
        (EVENING, "skipped"),
        (EVENING + timedelta(days=1), "pending"),
    ]


async def test_down_for_days_skips_each_missed_prompt_once(rig: BotRig) -> None:
    alex = await rig.onboarded()
    back = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    report = await rig.sweep(back)
    assert (report.claimed, report.late, report.sent) == (2, 2, 0)  # morning and evening
    assert sent(await alex.replies_until_idle()) == []
    # The next ones are in the future, not a backlog to replay.
    future = [p.due_at for p in prompts.pending_for_user(rig.db, 1001)]
    assert all(due > back for due in future) and len(future) == 3


async def test_paused_user_gets_nothing_and_keeps_their_streak(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/pause 2")  # until 2026-03-04 09:00 UTC
    await alex.replies_until_idle()
    for when in (EVENING, MORNING, EVENING + timedelta(days=1), MORNING + timedelta(days=1)):
        report = await rig.sweep(when)
        assert (report.paused, report.sent) == (1, 0)
    assert sent(await alex.replies_until_idle()) == []
    rest = [(c.kind, c.local_date, c.status) for c in checkins.for_user(rig.db, 1001)]
    assert rest == [
        ("evening", date(2026, 3, 2), "paused"),
        ("morning", date(2026, 3, 3), "paused"),
        ("evening", date(2026, 3, 3), "paused"),
        ("morning", date(2026, 3, 4), "paused"),
    ]
    # The pause ends at 09:00 on the 4th: that evening's prompt is sent.
    assert (await rig.sweep(EVENING + timedelta(days=2))).sent == 1


async def test_blocked_user_is_marked_inactive_until_they_write_again(rig: BotRig) -> None:
    alex = await rig.onboarded()
    rig.server.block_chat(1001)
    report = await rig.sweep(EVENING)
    assert report.blocked == 1
    stored = users.get(rig.db, 1001)
    assert stored is not None and not stored.active
    assert prompts.pending_for_user(rig.db, 1001) == []
    assert (await rig.sweep(MORNING)).claimed == 0

    rig.server.unblock_chat(1001)
    rig.clock.set(MORNING + timedelta(hours=1))
    await alex.ask("/help")
    assert {p.kind for p in prompts.pending_for_user(rig.db, 1001)} == {
        "morning",
        "evening",
        "weekly",
    }
    assert (await rig.sweep(EVENING + timedelta(days=1))).sent == 1


async def test_server_error_is_retried_later_and_sent_once(rig: BotRig) -> None:
    alex = await rig.onboarded()
    rig.server.fail_next("sendMessage", 502, "Bad Gateway")
    report = await rig.sweep(EVENING)
    assert (report.retry, report.sent) == (1, 0)
    assert sent(await alex.replies_until_idle()) == []
    # Backoff: not retried on the very next tick …
    assert (await rig.sweep(EVENING + timedelta(seconds=5))).claimed == 0
    # … but after it.
    report = await rig.sweep(EVENING + timedelta(seconds=35))
    assert report.sent == 1
    (prompt,) = sent(await alex.replies_until_idle())
    assert "Evening" in prompt.text
    assert (await rig.sweep(EVENING + timedelta(minutes=10))).claimed == 0
    (row,) = [p for p in prompts.for_user(rig.db, 1001) if p.due_at == EVENING]
    assert (row.state, row.attempts) == ("sent", 2)


async def test_abandoned_claim_is_taken_over_only_after_a_while(rig: BotRig) -> None:
    alex = await rig.onboarded()
    # Another process claimed the prompt and died before sending.
    claim_tick(rig.db, EVENING, "crashed-worker", 10, lambda rows, us: plan(rows, us, EVENING))
    assert (await rig.sweep(EVENING + timedelta(minutes=5))).claimed == 0
    report = await rig.sweep(EVENING + timedelta(minutes=11))
    assert report.sent == 1
    (prompt,) = sent(await alex.replies_until_idle())
    assert "later than planned" not in prompt.text  # 11 minutes is not worth mentioning


async def test_snoozed_prompt_comes_back(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await rig.sweep(EVENING)
    await alex.replies_until_idle()
    rig.clock.set(EVENING + timedelta(minutes=1))
    await alex.tap("Snooze 30 min")
    (snooze,) = prompts.pending_for_user(rig.db, 1001, "snooze")
    assert (snooze.due_at, snooze.payload) == (EVENING + timedelta(minutes=31), "evening")
    report = await rig.sweep(EVENING + timedelta(minutes=31))
    assert report.sent == 1
    (again,) = sent(await alex.replies_until_idle())
    assert "evening check-in you snoozed" in again.text
    assert prompts.pending_for_user(rig.db, 1001, "snooze") == []


async def test_weekly_summary_is_sent_once_at_the_slot_even_across_a_restart(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded()  # Berlin: Sunday 19:00 local is 18:00 UTC in March
    seed.checkin(rig.db, 1001, date(2026, 3, 3), "morning")
    weekly = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)
    await rig.sweep(weekly - timedelta(seconds=1))  # the week's check-ins, long missed: skipped
    assert "Current streak" not in texts(await alex.replies_until_idle())
    report = await rig.sweep(weekly)
    assert report.sent >= 1
    replies = await alex.replies_until_idle()
    assert "Current streak" in texts(replies)
    assert any(e.kind == "photo" for e in replies)
    await rig.restart()
    await rig.sweep(weekly + timedelta(seconds=5))
    assert "Current streak" not in texts(await alex.replies_until_idle())
    assert states(rig, "weekly") == [(weekly, "sent"), (weekly + timedelta(days=7), "pending")]


async def test_run_sweep_accepts_a_job_context(rig: BotRig) -> None:
    await rig.onboarded()
    assert rig.app is not None
    report = await run_sweep(Ctx(application=rig.app), EVENING)
    assert report.sent == 1
    assert "Evening" in texts(await rig.user(1001).replies_until_idle())


async def test_the_job_prunes_old_finished_prompts_hourly(rig: BotRig) -> None:
    await rig.onboarded()
    await rig.sweep(EVENING)  # sent
    assert rig.app is not None
    later = EVENING + timedelta(days=31)
    assert await prune_if_due(rig.app, later) == 1
    assert await prune_if_due(rig.app, later + timedelta(minutes=30)) == 0  # not yet again
    assert EVENING not in [p.due_at for p in prompts.for_user(rig.db, 1001)]


def _burst(db: Database, clock: FakeClock, n: int, due: datetime) -> None:
    """``n`` prompts due at once, for users who are gone (claimed and skipped: no sending)."""
    for user_id in range(9001, 9001 + n):
        seed.user(db, user_id, active=False)
    with db.session() as s:
        prompts.insert_ignore(
            s, [prompts.row(user_id, "snooze", due, clock()) for user_id in range(9001, 9001 + n)]
        )


@pytest.mark.parametrize(("n", "lead"), [(300, 7.5), (150, 0.0)])
async def test_a_big_burst_begins_early_so_it_is_centred_on_its_time(
    server: FakeBotApi, db: Database, clock: FakeClock, n: int, lead: float
) -> None:
    """At 20 messages a second, 300 prompts due at once take 15 s to send: the sweep begins
    7.5 s early. 150 (7.5 s of sending: a small burst) go on time, as every prompt used to."""
    _burst(db, clock, n, EVENING)
    rig = BotRig(server, db, clock, TELEGRAM_MAX_RATE="20")
    app = await rig.start()
    try:
        before = EVENING - timedelta(seconds=lead + 1)
        assert (await run_sweep(app, before, limit=3)).claimed == 0
        assert (await run_sweep(app, EVENING - timedelta(seconds=lead), limit=3)).claimed == 3
    finally:
        await rig.stop()

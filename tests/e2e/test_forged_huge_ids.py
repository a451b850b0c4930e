"""Forged buttons with ids too large for any column (issue 21): a 60-digit id raised
OverflowError on SQLite (and "out of range" on PostgreSQL) and the user saw the generic error.
Every feature's buttons now take such an id as a button that has ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests import seed
from tests.e2e.forgery import assert_huge_ids_are_stale, callback_data_seen_by
from tests.e2e.rig import BotRig

MORNING_DUE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin


async def test_huge_ids_in_every_features_buttons_get_the_kind_stale_reply(rig: BotRig) -> None:
    user = await rig.onboarded()
    day = rig.clock().date()
    seed.checkin(rig.db, user.id, day - timedelta(days=1), "morning", need="a walk")
    seed.trigger(rig.db, user.id, day - timedelta(days=2), situation="a text unanswered")
    seed.repair(rig.db, user.id, day - timedelta(days=3), person="Sam")
    await rig.sweep(MORNING_DUE)
    await user.ask("/history")
    await user.tap([b for b in user.last_message().labels if "·" in b][0])  # type: ignore[union-attr]
    await user.ask("/script")
    await user.ask("/trigger")
    await user.ask("Someone left my message on read")
    await user.ask("/cancel")
    await user.ask("/trigger")  # the resume question: tr:resume:<id>, tr:fresh:<id>
    await user.ask("/cancel")
    await user.ask("/export")
    await user.ask("/delete")

    forged = await assert_huge_ids_are_stale(user, callback_data_seen_by(user))
    assert {d.split(":")[0] for d in forged} >= {"ci", "hi", "sc", "tr", "data"}

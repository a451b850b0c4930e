"""Repair buttons with forged or out-of-range ids: refused or harmless, never someone else's."""

from __future__ import annotations

from bot.store import prompts
from tests.e2e.helpers import draft, failed_requests, plan_full_repair, plans
from tests.e2e.rig import BotRig, texts


async def test_forged_followup_and_offer_ids_are_refused(rig: BotRig) -> None:
    sam = await rig.onboarded(2002, "Sam")
    await plan_full_repair(sam)
    (sams,) = plans(rig, 2002)
    alex = await rig.onboarded()
    await alex.ask("/help")
    for data in (f"rpf:o:badly:{sams.id}", f"rpf:yes:{sams.id}", f"rpf:again:{sams.id}"):
        await alex.press_data(data)
        replies = await alex.replies_until_idle()
        assert "Anna" not in texts(replies) and "partner" not in texts(replies).lower()
    (after,) = plans(rig, 2002)
    assert after.followup_outcome is None and after.followup_at == sams.followup_at
    assert prompts.pending_for_user(rig.db, 2002, "repair_followup") == []


async def test_out_of_range_ids_are_harmless(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await alex.ask("/help")
    huge = "9" * 18
    for data in (f"rpf:o:happened:{huge}", f"rpf:yes:{huge}", f"sc:mine:{huge}"):
        await alex.press_data(data)
        replies = await alex.replies_until_idle()
        assert replies, data
    await alex.ask("/repair")
    await alex.press_data(f"rp:who:r.{huge}")
    await alex.press_data(f"rp:who:t.{huge}")
    await alex.replies_until_idle()
    assert draft(rig, "repair").person is None
    assert failed_requests(rig) == []
    assert "Something went wrong" not in texts(alex.events)

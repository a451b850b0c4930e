"""The repair follow-up end to end: its answers, asking again, and the sender skipping plans
that are gone or answered."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.app import sender_for
from bot.handlers.common import Ctx
from bot.models import DuePrompt
from bot.store import prompts, repairs, users
from tests.e2e.helpers import plan_full_repair, plans, send_due_followup
from tests.e2e.rig import BotRig, texts


async def test_followup_happened_with_a_lesson(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    rig.clock.set(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    await send_due_followup(rig)
    question = await alex.reply()
    assert "Did the repair happen" in question.text and "with your partner" in question.text
    assert question.labels == ["It happened", "Not yet", "It didn't go well"]

    replies = await alex.tap("It happened")
    assert "What did you learn" in texts(replies)
    await rig.restart()
    replies = await alex.ask("That asking calmly works 🌱")
    assert "corrective experience" in texts(replies)
    (plan,) = plans(rig)
    assert plan.followup_outcome == "happened"
    assert plan.followup_note == "That asking calmly works 🌱"
    assert plan.followup_answered_at == datetime(2026, 3, 3, 20, 0, tzinfo=UTC)


async def test_followup_badly_skip_and_not_yet_asks_again(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    await send_due_followup(rig)
    await alex.reply()
    replies = await alex.tap("Not yet")
    assert "ask again" in texts(replies)
    (plan,) = plans(rig)
    assert plan.followup_outcome == "not_yet"
    with rig.db.session() as s:  # the sweep would have marked the first prompt sent
        for row in s.exec(select(DuePrompt)).all():
            row.state = "sent"
            s.add(row)
    replies = await alex.tap("Yes, ask again")
    assert "I'll ask again on Wed 4 Mar, 19:00" in texts(replies)

    await send_due_followup(rig)
    await alex.reply()
    replies = await alex.tap("It didn't go well")
    assert "still practice" in texts(replies)
    replies = await alex.tap("Skip")
    assert "corrective experience" in texts(replies)
    (plan,) = plans(rig)
    assert (plan.followup_outcome, plan.followup_note) == ("badly", None)


async def test_sender_skips_plans_that_are_gone_or_answered(rig: BotRig) -> None:
    alex = await rig.onboarded()
    await plan_full_repair(alex)
    await alex.tap("Yes, check in with me")
    (plan,) = plans(rig)
    user = users.get(rig.db, 1001)
    assert rig.app is not None and user is not None and plan.id is not None
    sender = sender_for("repair_followup")
    assert sender is not None
    ctx = Ctx(rig.app)
    other = DuePrompt(user_id=1001, kind="repair_followup", ref_id=999, due_at=rig.clock())
    assert await sender(ctx, user, other) is None  # type: ignore[arg-type]
    repairs.update(rig.db, 1001, plan.id, rig.clock(), followup_outcome="happened")
    (due,) = prompts.pending_for_user(rig.db, 1001, "repair_followup")
    assert await sender(ctx, user, due) is None  # type: ignore[arg-type]

"""Steady talks one to one: in a group it only points to the private chat, and everything
scheduled goes to the private chat, whatever chat a user was first seen in (issue 21)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bot.store import prompts, users
from tests import seed
from tests.e2e.rig import BotRig, texts
from tests.fakebot import FakeUser

GROUP = -100_555
MORNING_DUE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin


async def tap_in_group(user: FakeUser, data: str) -> None:
    """Press ``data`` on the user's latest message in the group, as a group member could make
    them do (a button the bot would have posted there, or a forged one)."""
    (message,) = [
        m
        for (chat, _), m in user.state.messages.items()
        if chat == GROUP and m["from"] == user.user
    ][-1:]
    update_id = user._callback(copy.deepcopy(message), data)  # noqa: SLF001
    await user.server.wait_processed(update_id)


async def test_first_contact_from_a_group_gets_one_pointer_and_nothing_else(rig: BotRig) -> None:
    user = rig.user(1001, "Gus")
    for said in ("/start", "/help", "/checkin", "I feel so alone tonight", "I want to die"):
        await rig.server.wait_processed(await user.send_in_group(GROUP, said))
    await tap_in_group(user, "ob:begin")

    in_group = rig.server.events(GROUP)
    assert [e.kind for e in in_group] == ["message"] * 4  # commands and the crisis words
    assert all("private chat" in (e.text or "") for e in in_group)
    assert "https://t.me/" in (in_group[0].text or "")
    care = in_group[-1].text or ""
    assert care.startswith("Here are people you can reach right now")  # care first
    assert "I want to die" not in texts(in_group)
    assert [a.get("text") for a in rig.server.state.answered_callbacks] == [
        "I only work in our private chat — tap my name to open it."
    ]
    assert user.events == []  # nothing in private either: they never opened it
    assert users.count(rig.db) == 0  # no row from a group


async def test_scheduled_messages_go_to_the_private_chat(rig: BotRig) -> None:
    user = await rig.onboarded(1001, "Gus")
    with rig.db.engine.begin() as conn:  # first seen in a group before migration 0005
        conn.execute(text("UPDATE users SET chat_id = :g WHERE id = 1001"), {"g": GROUP})
    await rig.server.wait_processed(await user.send_in_group(GROUP, "/settings"))
    await tap_in_group(user, "st:pause")  # a group member talked them into tapping
    stored = users.get(rig.db, 1001)
    assert stored is not None and not stored.paused

    plan = seed.repair(rig.db, 1001, MORNING_DUE.date() - timedelta(days=1), person="Rosalind")
    assert plan.id is not None
    prompts.add(rig.db, 1001, "repair_followup", MORNING_DUE, rig.clock(), ref_id=plan.id)
    seed.checkin(rig.db, 1001, MORNING_DUE.date() - timedelta(days=1), "morning")
    (weekly,) = prompts.pending_for_user(rig.db, 1001, "weekly")
    await rig.sweep(MORNING_DUE)
    await rig.sweep(weekly.due_at)

    private = texts(user.events)
    assert "Good morning" in private
    assert "Did the repair happen" in private
    assert "Your week:" in private
    assert [e.kind for e in rig.server.events(GROUP)] == ["message"]  # only the pointer

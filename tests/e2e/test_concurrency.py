"""Different users are served at the same time; each user's messages are handled in order."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.handlers.common import Ctx, say
from bot.store import users
from tests.e2e.rig import BotRig, sent, texts


async def test_a_slow_update_of_one_user_does_not_hold_up_another(rig: BotRig) -> None:
    gate = asyncio.Event()
    started = asyncio.Event()

    async def slow(update: Update, ctx: Ctx) -> None:  # test-only: waits until the test says
        started.set()
        await gate.wait()
        await say(update, ctx, "slow done")
        raise ApplicationHandlerStop

    assert rig.app is not None
    rig.app.add_handler(MessageHandler(filters.Regex(r"^/slow$"), slow), group=-5)
    alex, bea = rig.user(1001, "Alex"), rig.user(1002, "Bea")

    slow_id = await alex.send("/slow")
    try:
        await asyncio.wait_for(started.wait(), 10)
        alex_help = await alex.send("/help")  # queued behind Alex's slow update
        assert "Here's what I can do" in texts(await bea.ask("/help"))  # Bea isn't kept waiting

        assert slow_id not in rig.server.state.processed
        assert alex_help not in rig.server.state.processed  # Alex's second waits for the first
    finally:
        gate.set()  # never leave the handler hanging (the rig waits for it when stopping)
    replies = sent(await alex.replies_until_idle())
    assert [r.text.split("\n")[0] for r in replies] == [
        "slow done",
        "Here's what I can do. Tap a command or type it:",
    ]


async def test_a_burst_from_one_user_is_handled_in_the_order_it_was_sent(rig: BotRig) -> None:
    alex = await rig.onboarded(1001)

    burst = ["/morning", "6:45", "/evening", "22:15", "/weekly", "Friday 18:00", "/settings"]
    for text in burst:  # sent at once, without waiting for answers
        await alex.send(text)
    replies = sent(await alex.replies_until_idle())

    assert len(replies) == len(burst)
    assert "morning" in replies[0].text.lower() and "06:45" in replies[1].text
    assert "evening" in replies[2].text.lower() and "22:15" in replies[3].text
    assert "weekly" in replies[4].text.lower() and "Friday" in replies[5].text
    assert "06:45" in replies[6].text and "22:15" in replies[6].text
    stored = users.get(rig.db, alex.id)
    assert stored is not None
    assert (stored.morning_time, stored.evening_time, stored.weekly_day) == ("06:45", "22:15", 4)


async def test_many_users_at_once_each_get_their_own_answers(rig: BotRig) -> None:
    people = [rig.user(5000 + i, f"P{i}") for i in range(20)]
    for person in people:
        await person.send("/start")
        await person.send("/help")
    for person in people:
        replies = sent(await person.replies_until_idle())
        assert len(replies) == 2
        assert f"Hi {person.user['first_name']}" in replies[0].text
        assert "Here's what I can do" in replies[1].text

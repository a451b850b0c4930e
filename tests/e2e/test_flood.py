"""One user flooding the bot does not slow anyone else down (issue 21, item 4).

The rig here runs the production flood limit (``bot.services.limits``) on the test's fake
clock, which stands still unless a test moves it: a burst is exactly the bucket's size.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.content import t
from bot.services.limits import BURST, Buckets
from bot.store.db import Database
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeBotApi

HELP = "Here's what I can do"
SLOW_DOWN = t("limits.slow_down")
FREE_TEXT = t("common.free_text")


@pytest.fixture
async def limited(server: FakeBotApi, db: Database, clock: FakeClock) -> AsyncIterator[BotRig]:
    bot_rig = BotRig(server, db, clock)
    bot_rig.buckets = Buckets()  # the real limit
    await bot_rig.start()
    try:
        yield bot_rig
    finally:
        await bot_rig.stop()


async def test_a_flood_from_one_user_leaves_everyone_else_served(limited: BotRig) -> None:
    flooder, bea = limited.user(1001, "Flo"), limited.user(1002, "Bea")
    for i in range(200):  # sent at once, without waiting for answers
        await flooder.send(f"hello? {i}")
        if i % 20 == 0:
            await bea.send("/help")
        if i == 150:  # crisis language in the middle of the flood is still answered
            await flooder.send("I just want to die")

    bea_replies = sent(await bea.replies_until_idle(timeout=60))
    flood_replies = sent(await flooder.replies_until_idle(timeout=60))

    assert len(bea_replies) == 10 and all(HELP in r.text for r in bea_replies)
    assert [r.text for r in flood_replies].count(SLOW_DOWN) == 1  # said once, then silence
    assert "glad you told me" in texts(flood_replies)  # care, even over the limit
    answered = [r for r in flood_replies if r.text == FREE_TEXT]
    assert BURST <= len(answered) <= BURST + 1  # the burst (and the crisis message)

    limited.clock.advance(minutes=1)  # the bucket fills up again: served as before
    replies = sent(await flooder.ask("/help"))
    assert len(replies) == 1 and HELP in replies[0].text


async def test_costly_commands_have_a_cooldown(limited: BotRig) -> None:
    alex = await limited.onboarded()
    await alex.ask("/checkin morning")
    await alex.ask("/cancel")
    first = sent(await alex.ask("/summary"))
    assert first and t("limits.cooldown_summary") not in texts(first)
    (again,) = sent(await alex.ask("/summary"))
    assert again.text == t("limits.cooldown_summary")

    exported = await alex.ask("/export")
    assert any(e.document for e in exported)
    (again,) = sent(await alex.ask("/export"))
    assert again.text == t("limits.cooldown_export")

    limited.clock.advance(minutes=2)
    assert any(e.document for e in await alex.ask("/export"))
    assert t("limits.cooldown_summary") not in texts(sent(await alex.ask("/summary")))

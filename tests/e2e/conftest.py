from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store.db import Database
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig
from tests.fakebot import FakeBotApi


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as srv:
        yield srv


@pytest.fixture
async def rig(server: FakeBotApi, db: Database, clock: FakeClock) -> AsyncIterator[BotRig]:
    bot_rig = BotRig(server, db, clock)
    await bot_rig.start()
    try:
        yield bot_rig
    finally:
        await bot_rig.stop()

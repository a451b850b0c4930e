from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakebot import FakeBotApi
from tests.process.harness import BotProcess


class Processes:
    """Starts bot processes and makes sure none outlives its test."""

    def __init__(self) -> None:
        self.started: list[BotProcess] = []

    async def start(self, env: dict[str, str]) -> BotProcess:
        process = BotProcess(env)
        self.started.append(process)
        return await process.start()


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as srv:
        yield srv


@pytest.fixture
async def procs() -> AsyncIterator[Processes]:
    processes = Processes()
    try:
        yield processes
    finally:
        for process in processes.started:
            await process.close()

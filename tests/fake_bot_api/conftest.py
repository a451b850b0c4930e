"""Fixtures for the tests of the fake Bot API server (tests/fakebot)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakebot import FakeBotApi


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake

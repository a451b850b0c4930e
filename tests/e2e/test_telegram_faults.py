"""Telegram misbehaving: 429s, a rate limit, an outage, users who blocked the bot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram.error import NetworkError

from bot.store import prompts, users
from bot.store.db import Database
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeBotApi

pytestmark = pytest.mark.timeout(60)

HELP_START = "Here's what I can do"


@pytest.fixture
async def limited_rig(
    server: FakeBotApi, db: Database, clock: FakeClock, request: pytest.FixtureRequest
) -> AsyncIterator[BotRig]:
    """A rig with TELEGRAM_MAX_RATE from the test's parameter."""
    bot_rig = BotRig(server, db, clock, TELEGRAM_MAX_RATE=request.param)
    await bot_rig.start()
    try:
        yield bot_rig
    finally:
        await bot_rig.stop()


# --- 429 Too Many Requests ------------------------------------------------------------------


@pytest.mark.parametrize("limited_rig", ["30", "0"], indirect=True, ids=["default", "unlimited"])
async def test_a_reply_refused_with_429_is_delivered_exactly_once(limited_rig: BotRig) -> None:
    server = limited_rig.server
    alex = limited_rig.user(1001)
    server.fail_next("sendMessage", 429, retry_after=1)

    replies = sent(await alex.ask("/help"))

    assert len(replies) == 1 and HELP_START in replies[0].text
    assert [r.status for r in server.calls("sendMessage")] == [429, 200]


@pytest.mark.parametrize("limited_rig", ["5"], indirect=True)
async def test_the_bot_keeps_under_its_own_rate(limited_rig: BotRig) -> None:
    server = limited_rig.server
    server.enforce_limits(global_per_sec=12, per_chat_per_sec=100)
    people = [limited_rig.user(2000 + i, f"P{i}") for i in range(15)]

    for person in people:
        await person.send("/help")
    for person in people:
        await person.wait_idle(timeout=30)

    assert server.too_many_requests == 0  # 5/s never trips a 12/s limit
    for person in people:
        assert len(sent(person.unread())) == 1


@pytest.mark.parametrize("limited_rig", ["10"], indirect=True)
async def test_sending_at_exactly_telegrams_limit_never_trips_it(limited_rig: BotRig) -> None:
    server = limited_rig.server
    server.enforce_limits(global_per_sec=10, per_chat_per_sec=100)  # the bot's own rate
    people = [limited_rig.user(4000 + i, f"P{i}") for i in range(25)]

    for person in people:
        await person.send("/help")
    for person in people:
        await person.wait_idle(timeout=30)

    assert server.too_many_requests == 0  # no jitter pushes 11 into one second
    for person in people:
        assert len(sent(person.unread())) == 1


@pytest.mark.parametrize("limited_rig", ["10"], indirect=True)
async def test_after_a_429_sending_resumes_at_the_pace_not_in_a_burst(
    limited_rig: BotRig,
) -> None:
    server = limited_rig.server
    server.enforce_limits(global_per_sec=10, per_chat_per_sec=100)
    server.fail_next("sendMessage", 429, retry_after=1)  # Telegram pushes back once
    people = [limited_rig.user(5000 + i, f"P{i}") for i in range(25)]

    for person in people:
        await person.send("/help")
    for person in people:
        await person.wait_idle(timeout=30)

    # Replies queued during the pause did not leave together afterwards: no further 429.
    assert [r.status for r in server.calls("sendMessage")].count(429) == 1
    assert server.too_many_requests == 0
    for person in people:
        assert len(sent(person.unread())) == 1


@pytest.mark.parametrize("limited_rig", ["0"], indirect=True)
async def test_without_its_own_limit_the_bot_rides_out_telegrams(limited_rig: BotRig) -> None:
    server = limited_rig.server
    server.enforce_limits(global_per_sec=5, per_chat_per_sec=100)
    people = [limited_rig.user(3000 + i, f"P{i}") for i in range(9)]

    for person in people:
        await person.send("/help")
    for person in people:
        await person.wait_idle(timeout=30)

    assert server.too_many_requests > 0  # Telegram pushed back…
    for person in people:  # …and still everyone got exactly one answer
        replies = sent(person.unread())
        assert len(replies) == 1 and HELP_START in replies[0].text


# --- an outage of the Bot API ---------------------------------------------------------------


class PollingFailures(logging.Handler):
    """Counts failed getUpdates calls (PTB logs each) and wakes a waiting test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, NetworkError):
            self.count += 1
            self.changed.set()

    async def wait_for(self, count: int, timeout: float = 20) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while self.count < count:
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
def polling_failures() -> Iterator[PollingFailures]:
    handler = PollingFailures()
    logger = logging.getLogger("telegram")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


async def test_polling_survives_an_outage_and_answers_afterwards(
    rig: BotRig, polling_failures: PollingFailures
) -> None:
    alex = rig.user(1001)
    assert HELP_START in texts(await alex.ask("/help"))

    await rig.server.pause()
    await polling_failures.wait_for(2)  # connection refused, twice: the bot keeps trying
    update_id = await alex.send("/help")  # written while the bot can't see it
    await rig.server.resume()

    reply = await alex.reply(timeout=30)
    assert HELP_START in reply.text
    await rig.server.wait_processed(update_id)
    assert rig.app is not None and rig.app.running
    assert rig.app.updater is not None and rig.app.updater.running


# --- 403: blocked by the user, or the account is gone ---------------------------------------


async def test_a_user_who_blocked_the_bot_is_marked_inactive_until_they_write(
    rig: BotRig,
) -> None:
    alex = await rig.onboarded(1001)
    rig.server.block_chat(alex.id)

    assert await alex.ask("/settings") == []  # the reply was refused with 403
    stored = users.get(rig.db, alex.id)
    assert stored is not None and not stored.active
    assert prompts.pending_for_user(rig.db, alex.id) == []  # as when a prompt is refused
    refused = rig.server.calls("sendMessage", ok=False)
    assert len(refused) == 1  # no "something went wrong" sent into the void

    rig.server.unblock_chat(alex.id)
    assert "Your settings" in texts(await alex.ask("/settings"))
    stored = users.get(rig.db, alex.id)
    assert stored is not None and stored.active
    assert len(prompts.pending_for_user(rig.db, alex.id)) == 3  # morning, evening, weekly


async def test_a_deactivated_account_is_marked_inactive(rig: BotRig) -> None:
    alex = await rig.onboarded(1001)
    rig.server.fail_next("sendMessage", 403, "Forbidden: user is deactivated")

    assert await alex.ask("/help") == []
    stored = users.get(rig.db, alex.id)
    assert stored is not None and not stored.active

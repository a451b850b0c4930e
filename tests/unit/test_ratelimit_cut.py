"""A stop's cut (bot/shutdown.py) and the rate limiter: a message already on the wire is never
cut off from its answer, so the step that sent it is stored; one not yet sent never leaves."""

from __future__ import annotations

import asyncio

import pytest

from bot.ratelimit import PacedRateLimiter


async def _request(limiter: PacedRateLimiter, callback, chat: int = 1) -> object:
    return await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": chat}, None)


async def test_a_message_on_the_wire_when_the_stop_cuts_still_returns_its_answer() -> None:
    limiter = PacedRateLimiter(0)
    on_the_wire, answer = asyncio.Event(), asyncio.Event()

    async def send() -> dict[str, int]:
        on_the_wire.set()
        await answer.wait()
        return {"message_id": 7}

    async def step() -> str:
        await _request(limiter, send)
        return "stored"  # what a handler does after its reply: return the step it asked

    task = asyncio.create_task(step())
    await on_the_wire.wait()
    limiter.cut()
    task.cancel()
    answer.set()
    assert await task == "stored"


async def test_after_the_cut_a_message_not_yet_sent_never_leaves() -> None:
    limiter = PacedRateLimiter(0)
    sent: list[int] = []

    async def send() -> bool:
        sent.append(1)
        return True

    limiter.cut()
    with pytest.raises(asyncio.CancelledError):
        await _request(limiter, send)
    assert sent == []


class _Watched(PacedRateLimiter):
    """A limiter that says when a message starts waiting for its slot."""

    def __init__(self, max_rate: float) -> None:
        super().__init__(max_rate)
        self.waiting = asyncio.Event()

    async def _wait_until(self, when: float) -> bool:
        if when > asyncio.get_running_loop().time():
            self.waiting.set()
        return await super()._wait_until(when)


async def test_a_message_waiting_for_its_slot_is_cancelled_by_the_cut() -> None:
    limiter = _Watched(1)  # one a second: the second message waits for its slot
    sent: list[int] = []

    async def send() -> bool:
        sent.append(1)
        return True

    await _request(limiter, send, chat=1)
    waiting = asyncio.create_task(_request(limiter, send, chat=2))
    await limiter.waiting.wait()
    limiter.cut()
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert sent == [1]


async def test_without_a_cut_cancelling_a_caller_cancels_its_request() -> None:
    limiter = PacedRateLimiter(0)
    on_the_wire = asyncio.Event()
    request_cancelled = asyncio.Event()

    async def send() -> bool:
        on_the_wire.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            request_cancelled.set()
            raise
        return True

    task = asyncio.create_task(_request(limiter, send))
    await on_the_wire.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.wait_for(request_cancelled.wait(), 1)

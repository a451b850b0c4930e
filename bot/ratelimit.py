"""Outgoing flood control: never more than ``max_rate`` messages in any second, evenly paced.

Telegram allows about 30 messages a second overall and answers 429 (``retry_after``) beyond.
Pacing sends 1/max_rate apart is not enough on its own: Telegram counts a message when it
arrives, and a send leaves our process some milliseconds after its slot (other work on the
event loop, a busy machine, the network), so a late message and the ``max_rate`` after it can
land in one second. So a message also counts against the window from the moment it is
admitted until one second after Telegram answered it (when it has surely arrived): a new
message goes only when fewer than ``max_rate`` do. With a fast round trip that costs a few
percent of the rate; in exchange no jitter can trip the limit.

A 429 pauses every request until its ``retry_after`` has passed; then the next request books
the next slot, so sending resumes at the regular pace. (PTB's ``AIORateLimiter`` hands out
pacing slots *during* such a pause, so the requests admitted meanwhile leave together when it
ends; at full speed that burst tripped the limit again a second later, over and over:
BENCHMARKS.md, Outbound.)

Requests that name no chat (getUpdates, answerCallbackQuery, setMyCommands) are not paced, as
with PTB's limiter, but they too wait out a pause. The bot talks in private chats only, so
there is no separate, slower pace for groups.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
#: The span Telegram counts messages over, in seconds.
WINDOW = 1.0
#: A message still unanswered this long after its window would have ended no longer holds
#: up the next one (a hung request must not stop all sending until it times out).
UNANSWERED_GRACE = 0.5
#: Waited on top of ``retry_after``, like PTB's limiter.
PAUSE_MARGIN = 0.1


class _Sent:
    """One admitted message: in the window until ``WINDOW`` after Telegram answered it."""

    __slots__ = ("admitted", "answered", "until")

    def __init__(self, admitted: float) -> None:
        self.admitted = admitted
        self.until: float | None = None  # set once answered
        self.answered = asyncio.Event()

    def done(self, now: float) -> None:
        self.until = now + WINDOW
        self.answered.set()


class PacedRateLimiter(BaseRateLimiter[int]):
    """At most ``max_rate`` messages in any second, 1/max_rate apart; 429s waited out.

    ``max_rate <= 0`` lifts the pace (429s are still waited out and retried). Per call,
    ``rate_limit_args`` overrides ``max_retries``, as with PTB's ``AIORateLimiter``.
    """

    def __init__(self, max_rate: float, *, max_retries: int = 5) -> None:
        self.max_retries = max_retries
        self.interval = 1 / max_rate if max_rate > 0 else 0.0
        self.per_window = max(1, int(max_rate)) if max_rate > 0 else 0
        self._recent: deque[_Sent] = deque(maxlen=self.per_window or 1)
        self._next_slot = 0.0
        self._resume_at = 0.0
        self._turn = asyncio.Lock()  # admissions one at a time, first come first served

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def _wait_until(self, when: float) -> bool:
        """Sleep until ``when`` (loop time); False if there was nothing to wait for."""
        delay = when - asyncio.get_running_loop().time()
        if delay <= 0:
            return False
        await asyncio.sleep(delay)
        return True

    async def _admit(self) -> _Sent:
        """Wait for this message's turn: after any pause, its slot, and room in the window."""
        loop = asyncio.get_running_loop()
        async with self._turn:
            while True:
                if await self._wait_until(max(self._resume_at, self._next_slot)):
                    continue  # a 429 may have come in meanwhile: check again
                if len(self._recent) == self.per_window:
                    oldest = self._recent[0]
                    if oldest.until is None:
                        grace = oldest.admitted + WINDOW + UNANSWERED_GRACE - loop.time()
                        if grace > 0:
                            with contextlib.suppress(TimeoutError):
                                await asyncio.wait_for(oldest.answered.wait(), grace)
                            continue
                    elif await self._wait_until(oldest.until):
                        continue
                now = loop.time()
                sent = _Sent(now)
                self._recent.append(sent)
                self._next_slot = now + self.interval
                return sent

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        retries = rate_limit_args or self.max_retries
        paced = self.per_window > 0 and data.get("chat_id") is not None
        loop = asyncio.get_running_loop()
        for attempt in itertools.count():
            sent: _Sent | None = None
            if paced:
                sent = await self._admit()
            else:
                while await self._wait_until(self._resume_at):
                    pass
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= retries:
                    log.warning("flood_wait_gave_up endpoint=%s retries=%s", endpoint, retries)
                    raise
                wait = exc._retry_after.total_seconds() + PAUSE_MARGIN  # noqa: SLF001
                log.info("flood_wait endpoint=%s seconds=%.1f", endpoint, wait)
                self._resume_at = max(self._resume_at, loop.time() + wait)
            finally:
                if sent is not None:
                    sent.done(loop.time())
        raise AssertionError("unreachable")  # pragma: no cover

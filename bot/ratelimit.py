"""Outgoing flood control: never more than ``max_rate`` messages in any second, evenly paced.

Telegram allows about 30 messages a second overall and answers 429 (``retry_after``) beyond.
Pacing sends 1/max_rate apart is not enough on its own: Telegram counts a message when it
arrives, and a send leaves our process some milliseconds after its slot (other work on the
event loop, a busy machine, the network), so a late message and the ``max_rate`` after it can
land in one second. So a message also counts against the window from the moment it is
admitted until one second after Telegram answered it (when it has surely arrived): a new
message goes only when fewer than ``max_rate`` do. With a fast round trip that costs a few
percent of the rate; in exchange no jitter can trip the limit.

Who waits after a 429: Telegram limits a bot per chat (about one message a second) and
overall (about 30 a second) and answers both with the same 429 and a ``retry_after``. A 429
for one chat pauses that chat only, for its ``retry_after``: one user who is sent too much
(a replayed button, a long export) never holds up everyone else's replies. 429s for two
different chats within a second are the overall limit, and pause every message until the
later ``retry_after`` has passed; then the next message books the next slot, so sending
resumes at the regular pace. (PTB's ``AIORateLimiter`` hands out pacing slots *during* such a
pause, so the requests admitted meanwhile leave together when it ends; at full speed that
burst tripped the limit again a second later, over and over: BENCHMARKS.md, Outbound.)

Who goes first: replies to what a user just did are admitted before scheduled sends (the
sweep's prompts, marked with ``with scheduled():``), first come first served within each.

Requests that name no chat (getUpdates, answerCallbackQuery, setMyCommands) are not messages:
they are never paced and never held up by a pause of messages, so a tap's spinner stops at
once however many messages are queued (a 429 for such a request delays only that request).
The bot talks in private chats only, so there is no separate, slower pace for groups.

Paid broadcasts (``TELEGRAM_PAID_BROADCAST_RATE``, off by default): an operator who pays
Telegram 0.1 Stars a message may send scheduled prompts as paid broadcasts
(``allow_paid_broadcast``), up to 1,000 a second. Then scheduled messages (sendMessage,
sendPhoto, sendDocument) carry the flag and keep a pace of their own at that rate; replies to
users keep the free pace and never pay.

When a stop's time is up (bot/shutdown.py) it cuts short what is still running. A request
already on the wire is not cut: Telegram may have the message already, so its caller must
hear the answer and carry on to store the step it asked (``cut`` says that time has come).
Only what has not left yet is cancelled, where it waits, or as soon as it asks to go.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.replicas.pace import SharedPace

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
#: The span Telegram counts messages over, in seconds.
WINDOW = 1.0
#: A message still unanswered this long after its window would have ended no longer holds
#: up the next one (a hung request must not stop all sending until it times out).
UNANSWERED_GRACE = 0.5
#: The share of its pace the limiter achieves over a long burst: a message holds its place in
#: the window until Telegram has answered it, so about one round trip is lost per second
#: (measured 28.9–29.5/s at 30, 26.9/s on a loaded 2-core machine; BENCHMARKS.md, Outbound).
#: A burst is planned at this share, or it would end later than it began early.
ACHIEVED_SHARE = 0.95
#: Waited on top of ``retry_after``, like PTB's limiter.
PAUSE_MARGIN = 0.1


#: Admission order: replies to a user's own action, then scheduled sends.
REPLY, SCHEDULED = 0, 1
#: The methods a scheduled prompt uses that take ``allow_paid_broadcast``.
BROADCASTS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
_PRIORITY: ContextVar[int] = ContextVar("steady_send_priority", default=REPLY)


@contextlib.contextmanager
def scheduled() -> Iterator[None]:
    """Messages sent inside this block (and in tasks started inside it) are scheduled sends:
    any reply waiting for its turn goes before them."""
    token = _PRIORITY.set(SCHEDULED)
    try:
        yield
    finally:
        _PRIORITY.reset(token)


class _Turns:
    """One admission at a time, like a lock, but handed to the most urgent waiter first
    (lowest priority number, then first come)."""

    def __init__(self) -> None:
        self._held = False
        self.waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    @contextlib.asynccontextmanager
    async def take(self, priority: int) -> AsyncIterator[None]:
        if self._held:
            turn = asyncio.get_running_loop().create_future()
            heapq.heappush(self.waiting, (priority, next(self._arrivals), turn))
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._release()  # handed the turn as it was cancelled: pass it on
                raise
        else:
            self._held = True
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        while self.waiting:
            turn = heapq.heappop(self.waiting)[2]
            if not turn.done():  # skip waiters that were cancelled
                turn.set_result(None)  # the turn passes straight on: still held
                return
        self._held = False


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
    """At most ``max_rate`` messages in any second, 1/max_rate apart; 429s waited out by the
    chat they were for (or by all messages, for the overall limit).

    ``max_rate <= 0`` lifts the pace (429s are still waited out and retried). Per call,
    ``rate_limit_args`` overrides ``max_retries``, as with PTB's ``AIORateLimiter``.
    """

    def __init__(
        self,
        max_rate: float,
        *,
        max_retries: int = 5,
        paid_broadcast_rate: float = 0.0,
        shared: SharedPace | None = None,
        paid_shared: SharedPace | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.shared = shared  # replicas on PostgreSQL: their common pace (bot/replicas/pace.py)
        #: Scheduled messages sent as paid broadcasts keep this pace of their own (shared by
        #: the replicas too: ``paid_shared``).
        self._broadcast = (
            PacedRateLimiter(paid_broadcast_rate, max_retries=max_retries, shared=paid_shared)
            if paid_broadcast_rate > 0
            else None
        )
        self.interval = 1 / max_rate if max_rate > 0 else 0.0
        self.per_window = max(1, int(max_rate)) if max_rate > 0 else 0
        self._recent: deque[_Sent] = deque(maxlen=self.per_window or 1)
        self._next_slot = 0.0
        self._resume_at = 0.0  # every message waits until then (the overall limit)
        self._chat_resume: dict[Any, float] = {}  # a chat's messages wait until then
        self._limited: deque[tuple[float, Any]] = deque()  # recent 429s: (when, chat)
        self._turns = _Turns()  # admissions one at a time, replies first
        self._cut = False  # a stop's time is up: nothing more leaves

    def scheduled_rate(self) -> float:
        """Messages a second scheduled prompts really leave at over minutes of sending, what a
        burst is planned at (bot/services/due.py): paid broadcasts' own pace, the pace replicas
        share on PostgreSQL (kept to the slot), else ``ACHIEVED_SHARE`` of this one; 0: none."""
        if self._broadcast is not None:
            return self._broadcast.scheduled_rate()
        if self.shared is not None:
            return self.shared.rate
        return ACHIEVED_SHARE / self.interval if self.interval else 0.0

    def cut(self) -> None:
        """A stop's time is up: from now on no request leaves (each is cancelled when it asks
        to go), and a request on the wire when its caller is cancelled still ends normally."""
        self._cut = True
        if self._broadcast is not None:
            self._broadcast.cut()

    async def _call(
        self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any, kwargs: dict[str, Any]
    ) -> Any:
        """``callback``, which a stop's cut does not interrupt once it has started: its caller
        gets the answer and goes on (other cancellations cancel the request as usual)."""
        if self._cut:
            raise asyncio.CancelledError
        call = asyncio.ensure_future(callback(*args, **kwargs))
        try:
            return await asyncio.shield(call)
        except asyncio.CancelledError:
            if not self._cut:
                call.cancel()
                raise
            result = await asyncio.gather(call, return_exceptions=True)
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # the cut is taken back for this caller: it was already sent
            if isinstance(result[0], BaseException):
                raise result[0] from None
            return result[0]

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

    async def _admit(self, priority: int) -> _Sent:
        """Wait for this message's turn: after any pause, its slot, and room in the window."""
        loop = asyncio.get_running_loop()
        async with self._turns.take(priority):
            if self.shared is not None:
                await self.shared.slot(waiting=len(self._turns.waiting))
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
        broadcast = self._broadcast
        if broadcast is not None and endpoint in BROADCASTS and _PRIORITY.get() == SCHEDULED:
            data["allow_paid_broadcast"] = True  # the request is built from ``data`` next
            return await broadcast.process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        retries = rate_limit_args or self.max_retries
        chat = data.get("chat_id")
        paced = self.per_window > 0 and chat is not None
        priority = _PRIORITY.get()
        loop = asyncio.get_running_loop()
        retry_at = 0.0  # a request naming no chat waits only for its own 429
        for attempt in itertools.count():
            sent: _Sent | None = None
            if chat is None:
                await self._wait_until(retry_at)
            else:
                while await self._wait_until(self._chat_resume.get(chat, 0.0)):
                    pass  # this chat is paused: wait without holding up other chats
                if paced:
                    sent = await self._admit(priority)
                else:
                    while await self._wait_until(self._resume_at):
                        pass
            try:
                return await self._call(callback, args, kwargs)
            except RetryAfter as exc:
                if attempt >= retries:
                    log.warning("flood_wait_gave_up endpoint=%s retries=%s", endpoint, retries)
                    raise
                wait = exc._retry_after.total_seconds() + PAUSE_MARGIN  # noqa: SLF001
                now = loop.time()
                if chat is None:
                    retry_at = now + wait
                    scope = "request"
                else:
                    scope = self._pushed_back(chat, now, wait)
                log.info("flood_wait endpoint=%s scope=%s seconds=%.1f", endpoint, scope, wait)
            finally:
                if sent is not None:
                    sent.done(loop.time())
        raise AssertionError("unreachable")  # pragma: no cover

    def _pushed_back(self, chat: Any, now: float, wait: float) -> str:
        """A 429 for ``chat``: pause that chat, or every message if another chat got one
        within the last second (that is the overall limit). Returns which it was."""
        limited = self._limited
        while limited and limited[0][0] <= now - WINDOW:
            limited.popleft()
        overall = any(other != chat for _, other in limited)
        limited.append((now, chat))
        if overall:
            self._resume_at = max(self._resume_at, now + wait)
            if self.shared is not None:
                self.shared.pause(wait)  # every replica waits it out
            return "all"
        for paused in [c for c, until in self._chat_resume.items() if until <= now]:
            del self._chat_resume[paused]
        self._chat_resume[chat] = max(self._chat_resume.get(chat, 0.0), now + wait)
        return "chat"

"""The fake Bot API with a stopwatch: when each reply reached it, which calls were refused.

``BenchServer`` is tests.fakebot.FakeBotApi plus hooks (it keeps validating every request
against the official api.json). A reply's time is taken when the request reaches the
server's method dispatch, on the same monotonic clock as the load generator's push.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from tests.fakebot import ApiError, FakeBotApi
from tests.fakebot.state import keyboard_of

REPLY_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
EDIT_METHODS = frozenset({"editmessagetext", "editmessagecaption"})


@dataclass
class Waiter:
    """One step of one user: resolved when ``needed`` replies arrived in the chat."""

    needed: int
    via: str = "send"  # "send": new messages count; "edit": edits of the text count
    first: float | None = None
    got: int = 0
    done: asyncio.Future[float] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def hit(self, when: float) -> bool:
        if self.first is None:
            self.first = when
        self.got += 1
        if self.got >= self.needed and not self.done.done():
            self.done.set_result(self.first)
            return True
        return False


class BenchServer(FakeBotApi):
    """FakeBotApi recording reply times per chat, 429s, and the first getUpdates."""

    def __init__(self, *args: Any, keep_requests: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_requests = keep_requests
        self.reply_counts: Counter[int] = Counter()
        self.reply_times: dict[int, list[float]] = defaultdict(list)
        self.bot_messages: dict[int, list[int]] = defaultdict(list)
        self.limited_at: list[float] = []
        self.failures: Counter[str] = Counter()
        self.unexpected = 0
        #: callback_query_id -> when its answerCallbackQuery arrived (bench/taps.py)
        self.answered_at: dict[str, float] = {}
        self._waiting: dict[int, Waiter] = {}
        self._polled: asyncio.Event | None = None

    async def start(self) -> BenchServer:
        self._polled = asyncio.Event()
        await super().start()
        return self

    async def __aenter__(self) -> BenchServer:
        return await self.start()

    async def wait_polled(self, timeout: float) -> None:  # noqa: ASYNC109
        assert self._polled is not None
        await asyncio.wait_for(self._polled.wait(), timeout)

    def expect(self, chat_id: int, replies: int = 1, via: str = "send") -> Waiter:
        """Wait for the next ``replies`` replies in this chat (register before pushing).

        ``via="edit"``: the step is answered by editing a message's text in place.
        """
        waiter = Waiter(replies, via)
        self._waiting[chat_id] = waiter
        return waiter

    def keyboard_message(self, chat_id: int, label: str) -> int:
        """The latest bot message in the chat with a button labelled ``label``."""
        for message_id in reversed(self.bot_messages[chat_id]):
            message = self.state.messages.get((chat_id, message_id))
            if message and any(b.get("text") == label for row in keyboard_of(message) for b in row):
                return message_id
        raise AssertionError(f"no button {label!r} in chat {chat_id}")

    async def _execute(
        self, method: str, params: dict[str, Any], files: dict, at: float | None = None
    ) -> Any:
        arrived = time.monotonic()
        if method == "getupdates" and self._polled is not None:
            self._polled.set()
        if not self.keep_requests and len(self.requests) > 1000:
            del self.requests[:-100]  # the benchmarks read their own records, not these
        try:
            result = await super()._execute(method, params, files, at)
        except ApiError as exc:
            if exc.error_code == 429:
                self.limited_at.append(arrived)
            elif method != "getupdates":  # a long poll cut short by a bot stopping: harmless
                self.failures[f"{method}: {exc.description}"] += 1
            raise
        if method == "answercallbackquery":
            self.answered_at[params["callback_query_id"]] = arrived
        elif method in REPLY_METHODS and isinstance(result, dict):
            self._on_reply(result["chat"]["id"], result["message_id"], arrived)
        elif method in EDIT_METHODS and isinstance(result, dict):
            self._on_edit(result["chat"]["id"], arrived)
        return result

    def _on_edit(self, chat_id: int, when: float) -> None:
        waiter = self._waiting.get(chat_id)
        if waiter is not None and waiter.via == "edit" and waiter.hit(when):
            del self._waiting[chat_id]

    def _on_reply(self, chat_id: int, message_id: int, when: float) -> None:
        self.reply_counts[chat_id] += 1
        self.reply_times[chat_id].append(when)
        self.bot_messages[chat_id].append(message_id)
        waiter = self._waiting.get(chat_id)
        if waiter is None or waiter.via != "send":
            self.unexpected += 1
        elif waiter.hit(when):
            del self._waiting[chat_id]

    def all_reply_times(self) -> list[float]:
        return sorted(t for times in self.reply_times.values() for t in times)

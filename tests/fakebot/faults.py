"""Fault injection and a Telegram-like flood limiter for the fake server."""

from __future__ import annotations

import bisect
import math
import time
from collections import defaultdict, deque
from typing import Any

from .spec import ApiError

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
_UNLIMITED = {"sendchataction"}


def rate_limited(method: str) -> bool:
    """Methods that count towards flood limits (lower-case names)."""
    return method.startswith(("send", "edit", "copy", "forward")) and method not in _UNLIMITED


class Faults:
    def __init__(self) -> None:
        self.too_many_requests = 0
        self.queued: dict[str, deque[ApiError]] = defaultdict(deque)
        self.limits: tuple[int, int] | None = None
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[Any, deque[float]] = defaultdict(deque)

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None,
        retry_after: int | None,
        count: int,
    ) -> None:
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(error_code, "Error")
            if retry_after is not None:
                description = f"Too Many Requests: retry after {retry_after}"
        for _ in range(count):
            self.queued[method.lower()].append(ApiError(error_code, description, retry_after))

    def check(self, method: str, params: dict[str, Any], arrived: float | None = None) -> None:
        """Raise the next injected fault for ``method``, or a 429 if over the limits.

        The limits count a request at ``arrived`` (when its handler began, as Telegram counts
        at its door), not when this check runs: reading and validating a body can take this
        process a while under load, and timing at the check would bunch requests that came
        apart."""
        if self.queued[method]:
            raise self.queued[method].popleft()
        if self.limits is None or not rate_limited(method):
            return
        now = time.monotonic() if arrived is None else arrived
        windows = [(self._global_window, self.limits[0])]
        if params.get("chat_id") is not None:
            windows.append((self._chat_windows[params["chat_id"]], self.limits[1]))
        for window, _ in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
        for window, limit in windows:
            if len(window) >= limit:
                self.too_many_requests += 1
                retry = max(1, math.ceil(window[0] + 1.0 - now))
                raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        for window, _ in windows:
            bisect.insort(window, now)  # (one that came earlier may be checked later)

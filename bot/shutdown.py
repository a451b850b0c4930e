"""A stop that ends within ``SHUTDOWN_TIMEOUT_SECONDS`` (5 s by default), however busy the bot.

PTB's ``Application.stop`` waits for every update it has taken and every running job: with a
couple of hundred users mid-conversation and their replies paced at 30 a second, that was
still going 10 s after SIGTERM, when Heroku or Kubernetes would have killed the process
(issue 24.3). ``SteadyApplication.stop`` (bot/app.py) runs it under a bound:

1. No new updates: polling has stopped, or the webhook server closed, before the stop begins.
2. Every update already received starts at once: the concurrency bound is lifted
   (``PerUserProcessor.drain``), so each user's answer is written to its draft before
   anything is cut short. The sweep claims nothing more.
3. What is still running when the bound (less ``STOP_RESERVE``) has passed is cancelled: the
   updates (a reply not yet sent is dropped; the answer it follows is stored) and the sweep
   (its unsent prompts, claimed or waiting for the rate limiter, go back to pending).
4. PTB stores the conversation states, the database closes, and the process exits 0.

An update cut short leaves its conversation at the step it was on. A second update of the
same user still waiting for the first one's turn when the bound passes is dropped (logged
by id): Telegram has already counted it as delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

log = logging.getLogger(__name__)

#: Seconds of the bound kept for what follows the cut: storing conversation states, closing.
STOP_RESERVE = 1.0
IN_FLIGHT_KEY = "in_flight"


class InFlight:
    """Tasks a stop may cut short once its bound has passed."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """The current task, for as long as the block runs."""
        task = asyncio.current_task()
        if task is None:  # pragma: no cover  (always inside a task)
            yield
            return
        self._tasks.add(task)
        try:
            yield
        finally:
            self._tasks.discard(task)

    def cancel(self) -> int:
        """Cancel every tracked task still running; how many there were."""
        running = [task for task in self._tasks if not task.done()]
        for task in running:
            task.cancel()
        return len(running)


def in_flight(app: Any) -> InFlight:
    """The application's scheduled work a stop may cut short (the sweep registers here)."""
    found = app.bot_data.get(IN_FLIGHT_KEY)
    if not isinstance(found, InFlight):
        found = app.bot_data[IN_FLIGHT_KEY] = InFlight()
    return found


def uncancel() -> None:
    """The current task swallows the cancellation a stop sent it (and ends normally)."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


async def bounded(
    stop: Callable[[], Awaitable[None]], bound: float, cut: Callable[[], int]
) -> None:
    """Run ``stop``; if it is not done ``bound - STOP_RESERVE`` seconds on, ``cut()`` what is
    in flight (it returns how many tasks it cancelled) and let ``stop`` finish."""
    stopping = asyncio.ensure_future(stop())
    grace = max(0.0, bound - min(STOP_RESERVE, bound / 2))
    done, _ = await asyncio.wait({stopping}, timeout=grace)
    if not done:
        log.warning("shutdown_cut_short tasks=%s after_seconds=%.1f", cut(), grace)
    await stopping


async def close_app(app: Any, *, started: bool) -> None:
    """The end of a run, polling or webhook: stop the application if this run started it
    (the bounded stop above), then shut it down, each with its post hook."""
    if started and app.running:
        await app.stop()  # finishes the updates already queued
        if app.post_stop is not None:
            await app.post_stop(app)
    if app._initialized:  # noqa: SLF001  (PTB has no public flag)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

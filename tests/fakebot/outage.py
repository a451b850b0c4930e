"""Bot API outages for the fake server: stop answering for a while, then come back."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import State


class Outages:
    """Mixed into FakeBotApi (which provides port, state, stop() and _listen())."""

    port: int
    state: State
    paused: bool
    outage_attempts: int
    _hang_up: asyncio.Server | None

    async def stop(self) -> None:
        raise NotImplementedError

    async def _listen(self, port: int) -> None:
        raise NotImplementedError

    async def pause(self, *, hang_up: bool = False) -> None:
        """Simulate a Bot API outage: close the listener and every open connection.

        Until :meth:`resume` the bot gets "connection refused" — or, with ``hang_up=True``,
        connections that are accepted and closed at once, counted in ``outage_attempts``
        (so a test can wait until the bot has tried). Updates pushed meanwhile wait.
        """
        await self.stop()
        self.paused = True
        self.outage_attempts = 0
        if hang_up:

            def refuse(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                self.outage_attempts += 1
                writer.close()
                self.state.notifier.notify()

            self._hang_up = await asyncio.start_server(
                refuse, "127.0.0.1", self.port, reuse_address=True
            )

    async def wait_outage_attempts(self, count: int, timeout: float = 20) -> None:  # noqa: ASYNC109
        await self.state.notifier.wait_for(lambda: self.outage_attempts >= count, timeout)

    async def resume(self) -> None:
        """End the outage: listen again on the same port, with all state kept."""
        if self._hang_up is not None:
            self._hang_up.close()
            await self._hang_up.wait_closed()
            self._hang_up = None
        await self._listen(self.port)
        self.paused = False
        self.state.notifier.notify()

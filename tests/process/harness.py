"""Run `python -m bot` as a child process against the fake Bot API in the test process.

Synchronisation is by events only: calls the fake server records (``wait_for_call``), replies
in a chat (``FakeUser.reply``), and the bot's own log lines (``BotProcess.wait_for_line``;
with LOG_LEVEL=DEBUG the bot logs ``update_done update_id=N`` once an update is fully handled
and its conversation step stored). Timeouts are upper bounds, never the synchronisation.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from tests.fakebot import BotEvent, FakeBotApi, FakeUser

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "DATABASE_URL",
    "TELEGRAM_API_BASE_URL",
    "LOG_LEVEL",
    "TELEGRAM_MAX_RATE",
    "SWEEP_INTERVAL_SECONDS",
    "SHUTDOWN_TIMEOUT_SECONDS",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "PORT",
    "HEALTH_PORT",
    "STEADY_ENCRYPTION_KEY",
)
START_TIMEOUT = 60.0  # imports and migrations on a slow machine
#: How the reply to /help (and to /start of a known user) begins.
HELP_START = "Here's what I can do"


def bot_env(server: FakeBotApi | None, database_url: str, **extra: str) -> dict[str, str]:
    """The child's environment: every setting given explicitly (so a developer's .env, which
    only fills variables that are unset, cannot leak in)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(dict.fromkeys(SETTINGS, ""))
    env.update(
        DATABASE_URL=database_url,
        LOG_LEVEL="DEBUG",
        TELEGRAM_MAX_RATE="0",
        SWEEP_INTERVAL_SECONDS="1",
        PYTHONUNBUFFERED="1",
    )
    if server is not None:
        env.update(TELEGRAM_BOT_TOKEN=server.token, TELEGRAM_API_BASE_URL=server.base_url)
    env.update(extra)
    return env


class BotProcess:
    """One `python -m bot`; its output (logs go to stderr) is collected line by line."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.lines: list[str] = []
        self.proc: asyncio.subprocess.Process | None = None
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> BotProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=PROJECT_DIR,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip())
            self._changed.set()
        self._changed.set()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    async def wait_for_line(self, pattern: str, timeout: float = 30) -> str:  # noqa: ASYNC109
        """The first output line matching the regex ``pattern``."""
        regex = re.compile(pattern)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    found = next((line for line in self.lines if regex.search(line)), None)
                    if found is not None:
                        return found
                    if self._reader is not None and self._reader.done():
                        raise AssertionError(f"bot exited before {pattern!r}:\n{self.output}")
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"no line {pattern!r} within {timeout}s:\n{self.output}") from None

    async def wait_handled(self, update_id: int, timeout: float = 30) -> None:  # noqa: ASYNC109
        """Until the bot has fully handled this update (reply sent, conversation step stored)."""
        await self.wait_for_line(rf"update_done update_id={update_id}\b", timeout)

    async def wait(self, timeout: float = 30) -> int:  # noqa: ASYNC109
        assert self.proc is not None
        try:
            code = await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"bot still running after {timeout}s:\n{self.output}") from None
        if self._reader is not None:
            await self._reader
        return code

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:  # noqa: ASYNC109
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        return await self.wait(timeout)

    async def kill(self) -> int:
        return await self.stop(signal.SIGKILL)

    async def close(self) -> None:
        """Teardown: make sure nothing is left running."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        if self._reader is not None:
            await self._reader


@contextlib.contextmanager
def server_first() -> Iterator[None]:
    """While the block runs, this process (the fake server, standing for Telegram, whose
    clock no load here delays) goes before the bots it started and anything else on the
    machine (niceness -10, when allowed), so it stamps requests as they come. Starved on a
    busy two-core box it was held for 100-200 ms at times, then stamped the requests queued
    meanwhile within a few ms of each other: 31 "in one second" that the bots sent apart.
    Bot processes keep the priority they started with; start them before the block."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -10)
    except OSError:  # (not allowed here: the rig runs as it is)
        yield
        return
    try:
        yield
    finally:
        os.setpriority(os.PRIO_PROCESS, 0, 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def polling_started(server: FakeBotApi, calls_before: int = 0) -> None:
    """Until the bot has sent one more getUpdates than ``calls_before`` (a long poll is
    recorded when it arrives, long before it is answered)."""
    await server.state.notifier.wait_for(
        lambda: len(server.calls("getUpdates")) > calls_before, START_TIMEOUT
    )


async def next_message(user: FakeUser, timeout: float = 30) -> BotEvent:  # noqa: ASYNC109
    """The next new message in the user's chat (skipping edits such as removed buttons)."""
    while True:
        event = await user.reply(timeout)
        if event.kind != "edit":
            return event


ELECTED = "poller_elected"
Proc = TypeVar("Proc", bound="BotProcess")


async def poller_and_standby(first: Proc, second: Proc) -> tuple[Proc, Proc]:
    """Two replicas started on one PostgreSQL: (the one elected to poll, the one standing by),
    once both have said which they are."""
    waits = {
        asyncio.ensure_future(b.wait_for_line(ELECTED, START_TIMEOUT)): b for b in (first, second)
    }
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    poller = waits[next(iter(done))]
    standby = second if poller is first else first
    await standby.wait_for_line("poller_standby reason=another_replica_polls", START_TIMEOUT)
    return poller, standby

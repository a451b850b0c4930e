"""SQLite serves one process: a second `python -m bot` on the same file refuses to start."""

from __future__ import annotations

import signal

import pytest

from bot.store.db import Database
from tests.fakebot import FakeBotApi, FakeUser
from tests.process.conftest import Processes
from tests.process.harness import HELP_START, START_TIMEOUT, bot_env, next_message, polling_started

pytestmark = pytest.mark.timeout(240)


async def test_a_second_process_on_the_same_sqlite_file_refuses_to_start(
    server: FakeBotApi, sqlite_db: Database, procs: Processes
) -> None:
    env = bot_env(server, sqlite_db.url)
    first = await procs.start(env)
    await polling_started(server)

    second = await procs.start(env)
    assert await second.wait(START_TIMEOUT) == 2
    assert "SQLite serves one process" in second.output and "PostgreSQL" in second.output
    assert f"pid {first.proc.pid if first.proc else '?'}" in second.output
    assert "Traceback" not in second.output

    alex = FakeUser(server, 1001)
    await alex.send("/help")
    assert HELP_START in (await next_message(alex)).text  # the first one goes on serving

    # A killed process leaves its lock file behind, but not its lock: the next one starts.
    assert await first.kill() == -signal.SIGKILL
    polls = len(server.calls("getUpdates"))
    third = await procs.start(env)
    await polling_started(server, polls)
    await alex.send("/help")
    assert HELP_START in (await next_message(alex, START_TIMEOUT)).text
    assert await third.stop() == 0

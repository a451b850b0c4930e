"""`python -m bot` as a real process: start, answer, stop cleanly, survive SIGKILL and outages.

Kills happen right after an update was fully handled (the bot logs ``update_done``): the
reply was acknowledged by Telegram and the conversation step stored. A kill *between* the
reply and that log line (a few milliseconds) can leave the step one behind; see README,
"Crash safety"."""

from __future__ import annotations

import signal

import pytest

from bot.app import ALLOWED_UPDATES
from bot.store import users
from bot.store.db import Database
from tests.fakebot import FakeBotApi, FakeUser
from tests.process.conftest import Processes
from tests.process.harness import HELP_START, START_TIMEOUT, BotProcess, bot_env, next_message

pytestmark = pytest.mark.timeout(240)


async def test_answers_help_and_stops_cleanly_on_sigterm(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    bot = await procs.start(bot_env(server, db.url))
    alex = FakeUser(server, 1001)

    await alex.send("/help")
    reply = await next_message(alex, START_TIMEOUT)

    assert HELP_START in reply.text
    assert server.calls("setMyCommands")
    # Telegram is asked only for what is handled (messages, their edits, button presses).
    polls = server.calls("getUpdates")
    assert {tuple(p.params["allowed_updates"]) for p in polls} == {tuple(ALLOWED_UPDATES)}
    assert await bot.stop(signal.SIGTERM) == 0
    assert "Traceback" not in bot.output


async def test_without_a_token_it_says_how_to_get_one_and_exits_2(db: Database) -> None:
    bot = BotProcess(bot_env(None, db.url))
    await bot.start()
    try:
        assert await bot.wait(START_TIMEOUT) == 2
    finally:
        await bot.close()
    assert "@BotFather" in bot.output and "TELEGRAM_BOT_TOKEN" in bot.output
    assert "Traceback" not in bot.output


async def test_a_killed_bot_resumes_onboarding_at_the_same_step(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    env = bot_env(server, db.url)
    bot = await procs.start(env)
    alex = FakeUser(server, 1001)

    await alex.send("/start")
    assert "Hi Alex" in (await next_message(alex, START_TIMEOUT)).text
    await alex.press("Let's begin")
    await next_message(alex)
    await alex.send("Berlin")
    assert "Europe/Berlin" in (await next_message(alex)).text
    tap = await alex.press("Yes, that's right")
    assert "morning" in (await next_message(alex)).text.lower()
    await bot.wait_handled(tap)
    assert await bot.kill() == -signal.SIGKILL

    bot = await procs.start(env)  # same database, a new process
    answer = await alex.send("7:30")
    assert "evening" in (await next_message(alex, START_TIMEOUT)).text.lower()
    await bot.wait_handled(answer)
    assert await bot.kill() == -signal.SIGKILL

    bot = await procs.start(env)
    await alex.press("21:00 (default)")
    done = await next_message(alex, START_TIMEOUT)
    assert "Morning check-in: 07:30" in done.text and "Evening reflection: 21:00" in done.text

    stored = users.get(db, alex.id)
    assert stored is not None and stored.onboarded_at is not None
    assert (stored.timezone, stored.morning_time) == ("Europe/Berlin", "07:30")
    messages = [e.text for e in alex.events if e.kind == "message"]
    assert len(messages) == len(set(messages)) == 6  # every question once, nothing doubled
    assert await bot.stop() == 0


async def test_starts_while_telegram_is_down_and_rides_out_an_outage(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    await server.pause(hang_up=True)
    bot = await procs.start(bot_env(server, db.url))
    await server.wait_outage_attempts(1, START_TIMEOUT)  # start-up meets the outage…
    await server.resume()
    alex = FakeUser(server, 1001)
    await alex.send("/help")
    assert HELP_START in (await next_message(alex, START_TIMEOUT)).text  # …retries, gets going

    await server.pause(hang_up=True)
    await server.wait_outage_attempts(1)
    await bot.wait_for_line("telegram_unreachable during=polling")
    await alex.send("/help")
    await server.resume()
    assert HELP_START in (await next_message(alex)).text

    assert await bot.stop() == 0

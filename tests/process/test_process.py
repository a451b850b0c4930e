"""`python -m bot` as a real process: start, answer, stop cleanly, survive SIGKILL and outages.

Kills happen right after an update was fully handled (the bot logs ``update_done``): the
reply was acknowledged by Telegram and the conversation step stored. A kill *between* the
reply and that log line (a few milliseconds) can leave the step one behind; see README,
"Crash safety".

The sweep is killed while it is sending: every prompt still arrives, and only a prompt caught
between Telegram accepting it and the database marking it sent arrives twice (README,
"Reliability"). These tests use the real clock, as the process does: prompts are seeded due
a few minutes before the real now.
"""

from __future__ import annotations

import signal
import socket
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy import update

from bot.app import ALLOWED_UPDATES
from bot.models import DuePrompt
from bot.outbound.sweep import SEND_CONCURRENCY
from bot.store import conversations, prompts, users
from bot.store.claim import STALE_CLAIM
from bot.store.db import Database
from tests import seed
from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.webhook import deliver_webhook
from tests.process.conftest import Processes
from tests.process.harness import START_TIMEOUT, BotProcess, bot_env, next_message

pytestmark = pytest.mark.timeout(240)

HELP_START = "Here's what I can do"
WEBHOOK_SECRET = "process-test-secret_0123456789abcdef"


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode(server: FakeBotApi, db: Database, procs: Processes) -> None:
    port = free_port()
    bot = await procs.start(
        bot_env(
            server,
            db.url,
            WEBHOOK_URL=f"http://127.0.0.1:{port}/steady/hook",  # any path, not just /telegram
            WEBHOOK_SECRET=WEBHOOK_SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            PORT=str(port),
        )
    )
    (hook,) = await server.wait_for_call("setWebhook", timeout=START_TIMEOUT)
    assert hook.params["secret_token"] == WEBHOOK_SECRET

    alex = FakeUser(server, 1001)
    assert await deliver_webhook(server, await alex.send("/help")) == 200
    assert HELP_START in (await next_message(alex)).text
    assert await deliver_webhook(server, await alex.send("/help"), secret="guess") == 403
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        assert response.status == 200

    assert await bot.stop() == 0
    assert server.calls("getUpdates") == []
    assert len([e for e in alex.events if e.kind == "message"]) == 1  # the forged one: none


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"WEBHOOK_URL": "http://bot.example.org/hook"}, "https://"),
        ({"WEBHOOK_SECRET": "too-short"}, "32"),
    ],
    ids=["plain-http-url", "short-secret"],
)
async def test_a_webhook_telegram_would_refuse_stops_the_start_with_exit_2(
    server: FakeBotApi, db: Database, env: dict[str, str], says: str
) -> None:
    settings = {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": WEBHOOK_SECRET}
    bot = BotProcess(bot_env(server, db.url, **{**settings, **env}))
    await bot.start()
    try:
        assert await bot.wait(START_TIMEOUT) == 2
    finally:
        await bot.close()
    assert says in bot.output and "Traceback" not in bot.output
    assert server.calls("setWebhook") == []


def prompts_received(server: FakeBotApi) -> Counter[int]:
    """Chat id → messages Telegram accepted for it (here: only check-in prompts)."""
    return Counter(
        int(r.params["chat_id"]) for r in server.calls("sendMessage") if r.response is not None
    )


def seed_due_prompts(server: FakeBotApi, db: Database, count: int) -> dict[int, int]:
    """``count`` onboarded users, each with a morning prompt due five minutes ago (real time);
    returns user id → prompt id."""
    now = datetime.now(UTC)  # the process's clock is the real one
    due: dict[int, int] = {}
    for user_id in range(5001, 5001 + count):
        FakeUser(server, user_id)
        seed.user(db, user_id)
        prompt = prompts.add(db, user_id, "morning", now - timedelta(minutes=5), now)
        assert prompt.id is not None
        due[user_id] = prompt.id
    return due


def prompt_states(db: Database, due: dict[int, int]) -> dict[int, str]:
    """User id → the state of their seeded prompt."""
    found = {user_id: prompts.get(db, prompt_id) for user_id, prompt_id in due.items()}
    return {user_id: prompt.state for user_id, prompt in found.items() if prompt is not None}


async def sweeping(
    procs: Processes, server: FakeBotApi, env: dict[str, str], sent: int
) -> BotProcess:
    """A bot that has sent ``sent`` prompts of its first sweep (and is still sending)."""
    bot = await procs.start(env)
    await server.wait_for_call("sendMessage", count=sent, timeout=START_TIMEOUT)
    return bot


async def sweep_in_a_new_process(procs: Processes, env: dict[str, str]) -> BotProcess:
    """Start the bot again, let its first sweep that finds work finish, stop it."""
    bot = await procs.start(env)
    await bot.wait_for_line(r"sweep worker=\S+ claimed=\d+ sent=\d+", START_TIMEOUT)
    assert await bot.stop() == 0
    return bot


async def test_sigkill_during_a_sweep_loses_no_prompt(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    count, kill_after = 60, 10
    due = seed_due_prompts(server, db, count)
    # 20 messages/s: the sweep takes seconds to send them all, so the kill lands mid-way.
    env = bot_env(server, db.url, TELEGRAM_MAX_RATE="20")

    bot = await sweeping(procs, server, env, kill_after)
    assert await bot.kill() == -signal.SIGKILL
    at_kill = prompts_received(server)
    state = prompt_states(db, due)
    # Accepted by Telegram, but the process died before marking them sent:
    window = {user_id for user_id in at_kill if state[user_id] != prompts.SENT}
    marked = {user_id for user_id, s in state.items() if s == prompts.SENT}
    assert kill_after <= len(at_kill) < count  # killed in the middle of the sweep
    assert marked <= set(at_kill)  # nothing is marked sent that Telegram didn't accept
    assert len(window) <= SEND_CONCURRENCY  # only sends in flight can be caught
    print(f"\nsweep kill: {len(at_kill)} of {count} sent, {len(window)} in the window")

    # The dead process's claims count as abandoned after STALE_CLAIM; age them rather than wait.
    with db.session() as s:
        s.execute(
            update(DuePrompt)
            .where(DuePrompt.state == prompts.CLAIMED)  # type: ignore[arg-type]
            .values(claimed_at=datetime.now(UTC) - STALE_CLAIM)
        )
    bot = await sweep_in_a_new_process(procs, env)
    received = prompts_received(server)
    assert set(received) == set(due)  # no prompt lost
    twice = {user_id for user_id, n in received.items() if n > 1}
    assert twice == window and max(received.values()) <= 2  # doubled: exactly the window
    assert set(prompt_states(db, due).values()) == {prompts.SENT}
    assert "Traceback" not in bot.output


async def test_sigterm_during_a_sweep_hands_the_rest_back_and_sends_each_once(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    due = seed_due_prompts(server, db, 60)
    env = bot_env(server, db.url, TELEGRAM_MAX_RATE="20")

    bot = await sweeping(procs, server, env, 10)
    assert await bot.stop(signal.SIGTERM) == 0  # a deploy: sends in flight finish, no more
    line = await bot.wait_for_line(r"sweep worker=.* handed_back=\d+")
    assert "handed_back=0" not in line
    states = Counter(prompt_states(db, due).values())
    assert set(states) == {prompts.SENT, prompts.PENDING}  # nothing left claimed
    assert states[prompts.SENT] == len(prompts_received(server))

    await sweep_in_a_new_process(procs, env)  # sends the rest at once
    assert prompts_received(server) == dict.fromkeys(due, 1)  # each exactly once
    assert set(prompt_states(db, due).values()) == {prompts.SENT}


async def test_sigterm_under_load_exits_0_within_the_bound_and_loses_nothing(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    """200 new users write at once while 60 prompts are due; at 20 messages/s their replies
    alone take 10 s to send. SIGTERM once the bot has taken every update: it exits 0 within
    the bound (5 s by default; the test's own limit is 10 s), every user's first update ran
    (their row is there), every reply sent left its conversation step stored, and every
    prompt is sent or back to pending (none left claimed); the next process sends the rest."""
    due = seed_due_prompts(server, db, 60)
    env = bot_env(server, db.url, TELEGRAM_MAX_RATE="20")
    bot = await procs.start(env)
    await server.wait_for_call("sendMessage", count=1, timeout=START_TIMEOUT)  # sweeping
    people = [FakeUser(server, 7001 + i, first_name=f"P{i}") for i in range(200)]
    pushed = {await person.send("/start") for person in people}
    await server.state.notifier.wait_for(lambda: pushed <= server.state.delivered, 30)

    signalled = time.monotonic()
    assert await bot.stop(signal.SIGTERM, timeout=10) == 0  # the bound, not the backlog
    print(f"\nSIGTERM under load: exit 0 after {time.monotonic() - signalled:.1f} s")
    assert "Traceback" not in bot.output
    assert "shutdown_cut_short" in bot.output  # there was more than the bound allowed
    assert all(users.get(db, person.id) is not None for person in people)  # every update ran
    welcomed = {int(r.params["chat_id"]) for r in server.calls("sendMessage") if r.ok}
    for person in people:
        if person.id in welcomed:  # the reply went out: the step it asked is stored
            assert conversations.open_for_user(db, person.id), person.id
    states = Counter(prompt_states(db, due).values())
    assert set(states) <= {prompts.SENT, prompts.PENDING}  # handed back, none left claimed
    received = {chat: n for chat, n in prompts_received(server).items() if chat in due}
    assert states[prompts.SENT] == len(received)

    await sweep_in_a_new_process(procs, env)
    received = {chat: n for chat, n in prompts_received(server).items() if chat in due}
    assert received == dict.fromkeys(due, 1)  # each exactly once

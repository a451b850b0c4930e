"""Who waits for whom on the way out: 429s per chat or for all, taps, replies before prompts.

Every assertion is about the order in which the fake Bot API saw requests, never about how
long something took; timeouts are upper bounds (a paused chat's retry_after, a few seconds).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest

import bot.app
from bot.outbound.sweep import SEND_CONCURRENCY
from bot.store import prompts
from bot.store.db import Database
from tests import seed
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.state import RecordedRequest

pytestmark = pytest.mark.timeout(60)

HELP_START = "Here's what I can do"


@asynccontextmanager
async def running(
    server: FakeBotApi, db: Database, clock: FakeClock, **env: str
) -> AsyncIterator[BotRig]:
    rig = BotRig(server, db, clock, **env)
    await rig.start()
    try:
        yield rig
    finally:
        await rig.stop()


def position(server: FakeBotApi, match: Callable[[RecordedRequest], bool], after: int = -1) -> int:
    """Index of the first request the server recorded (after index ``after``) that ``match``es."""
    return next(i for i, r in enumerate(server.requests) if i > after and match(r))


def reply_to(chat_id: int, status: int = 200) -> Callable[[RecordedRequest], bool]:
    return lambda r: (
        r.method == "sendMessage" and r.params.get("chat_id") == chat_id and r.status == status
    )


def answer_of(query_id: str) -> Callable[[RecordedRequest], bool]:
    return lambda r: (
        r.method == "answerCallbackQuery" and r.params.get("callback_query_id") == query_id
    )


def query_id(server: FakeBotApi, update_id: int) -> str:
    return str(server.state.pushed[update_id]["callback_query"]["id"])


async def test_a_429_for_one_chat_does_not_hold_up_another_chats_reply(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    async with running(server, db, clock, TELEGRAM_MAX_RATE="30") as rig:
        alex, bo = rig.user(1001, "Alex"), rig.user(1002, "Bo")
        server.fail_next("sendMessage", 429, retry_after=3)  # Telegram: Alex's chat, slow down

        await alex.send("/help")
        await server.wait_for_call("sendMessage", ok=False)
        replies = sent(await bo.ask("/help"))  # Bo is answered while Alex's chat waits…
        assert HELP_START in replies[0].text
        assert HELP_START in sent(await alex.replies_until_idle(timeout=10))[0].text  # …then Alex

    assert position(server, reply_to(1002)) < position(server, reply_to(1001))
    assert [r.status for r in server.calls("sendMessage")] == [429, 200, 200]


async def test_429s_for_two_chats_are_the_overall_limit_and_pause_everyone(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    async with running(server, db, clock, TELEGRAM_MAX_RATE="30") as rig:
        alex, bo, cy = rig.user(1001, "Alex"), rig.user(1002, "Bo"), rig.user(1003, "Cy")
        server.fail_next("sendMessage", 429, retry_after=2, count=2)

        await alex.send("/help")
        await bo.send("/help")
        await server.wait_for_call("sendMessage", count=2, ok=False)
        await cy.send("/help")  # arrives during the pause: waits like everyone
        for person in (alex, bo, cy):
            assert HELP_START in sent(await person.replies_until_idle(timeout=10))[0].text

    first_retry = min(position(server, reply_to(1001)), position(server, reply_to(1002)))
    assert position(server, reply_to(1003)) > first_retry


async def test_a_tap_is_answered_while_its_users_last_reply_waits_out_a_429(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    async with running(server, db, clock, TELEGRAM_MAX_RATE="30") as rig:
        alex = rig.user(1001, "Alex")
        await alex.ask("/start")  # the welcome, with its "Let's begin" button
        server.fail_next("sendMessage", 429, retry_after=3)
        await alex.send("/help")  # its reply waits out Alex's 429, holding Alex's turn
        await server.wait_for_call("sendMessage", ok=False)

        tap = await alex.press("Let's begin")
        await server.wait_processed(tap, timeout=15)

        assert "timezone" in texts(alex.unread()).lower()  # the tap did its work…

    refused = position(server, reply_to(1001, 429))
    answered = position(server, answer_of(query_id(server, tap)))
    assert answered < position(server, reply_to(1001), after=refused)  # …its spinner first
    assert len(server.answered_callbacks) == 1  # once: the handler's own answer sent nothing


async def test_taps_are_answered_while_every_update_slot_waits_for_paced_sends(
    server: FakeBotApi, db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.app, "UPDATES_AT_ONCE", 2)  # two slots, easy to fill
    async with running(server, db, clock, TELEGRAM_MAX_RATE="1") as rig:
        alex = rig.user(1001, "Alex")
        await alex.ask("/start")
        others = [rig.user(2001 + i, f"P{i}") for i in range(3)]
        for person in others:  # at 1 message/s their replies hold both slots for seconds
            await person.send("/help")
        tap = await alex.press("Let's begin")
        await server.wait_processed(tap, timeout=30)
        for person in others:
            await person.wait_idle(timeout=30)

    answered = position(server, answer_of(query_id(server, tap)))
    replies = [i for i, r in enumerate(server.requests) if reply_to(2001)(r) or reply_to(2002)(r)]
    assert answered < max(replies)  # answered before the slots were free again


async def test_replies_to_users_go_before_queued_scheduled_prompts(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    now = clock()
    due = range(5001, 5013)
    for user_id in due:
        FakeUser(server, user_id)
        seed.user(db, user_id)
        prompts.add(db, user_id, "morning", now - timedelta(minutes=1), now)
    async with running(server, db, clock, TELEGRAM_MAX_RATE="4") as rig:
        alex = rig.user(1001, "Alex")
        # The sweep claims all 12 and keeps SEND_CONCURRENCY of them waiting for the limiter.
        sweeping = asyncio.ensure_future(rig.sweep())
        await server.wait_for_call("sendMessage", count=2)
        await alex.send("/help")
        pushed = len(server.requests)
        replies = sent(await alex.replies_until_idle(timeout=20))
        report = await sweeping

    assert HELP_START in replies[0].text and report.sent == len(due)
    answered = position(server, reply_to(1001))
    prompts_between = [r for r in server.requests[pushed:answered] if r.method == "sendMessage"]
    # At most the prompt holding the turn (and one admitted as the update arrived) went
    # first; the rest of the queued SEND_CONCURRENCY prompts waited for Alex's reply.
    assert len(prompts_between) <= 2 < SEND_CONCURRENCY


async def test_with_paid_broadcasts_scheduled_prompts_pay_and_go_faster_replies_do_not(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    """TELEGRAM_PAID_BROADCAST_RATE: 30 prompts go as paid broadcasts at their own pace (at
    the free 1 a second they would take 30 s); a reply meanwhile goes free, at the free pace."""
    now = clock()
    due = range(5101, 5131)
    for user_id in due:
        FakeUser(server, user_id)
        seed.user(db, user_id)
        prompts.add(db, user_id, "morning", now - timedelta(minutes=1), now)
    env = {"TELEGRAM_MAX_RATE": "1", "TELEGRAM_PAID_BROADCAST_RATE": "1000"}
    async with running(server, db, clock, **env) as rig:
        alex = rig.user(1001, "Alex")
        report = await asyncio.wait_for(rig.sweep(), 10)
        (reply,) = sent(await alex.ask("/help"))

    assert report.sent == len(due) and HELP_START in (reply.text or "")
    sends = [r for r in server.requests if r.method == "sendMessage"]
    paid = {r.params["chat_id"] for r in sends if r.params.get("allow_paid_broadcast")}
    assert paid == set(due)
    assert all(
        not r.params.get("allow_paid_broadcast") for r in sends if r.params["chat_id"] == 1001
    )

"""The flood limit and the cooldowns (bot/services/limits.py), and the processor's bounds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from pytest import MonkeyPatch
from telegram import CallbackQuery, Chat, Message, Update, User

from bot.concurrency import PerUserProcessor, answered_early
from bot.services.limits import Buckets, Cooldowns

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def message(update_id: int, user_id: int, text: str = "hi") -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, WHEN, chat, from_user=user, text=text))


def test_a_bucket_allows_a_burst_then_its_rate_and_warns_once_per_flood() -> None:
    buckets = Buckets(burst=3, per_second=1.0)
    assert [buckets.take("a", 0.0) for _ in range(4)] == [True, True, True, False]
    assert buckets.take("b", 0.0)  # another user has their own bucket
    assert buckets.warn_once("a") and not buckets.warn_once("a")
    assert buckets.take("a", 1.0) and not buckets.take("a", 1.0)  # one token a second
    assert not buckets.warn_once("a")  # still the same flood
    assert buckets.take("a", 10.0)  # quiet long enough: full again, and a new word
    assert buckets.warn_once("a")


def test_a_cooldown_per_user_action_and_variant() -> None:
    cooldowns = Cooldowns({"export": timedelta(seconds=60)})
    assert cooldowns.allow(1, "export", WHEN, "json")
    assert not cooldowns.allow(1, "export", WHEN + timedelta(seconds=59), "json")
    assert cooldowns.allow(1, "export", WHEN, "csv")  # the other format
    assert cooldowns.allow(2, "export", WHEN, "json")  # another user
    assert cooldowns.allow(1, "export", WHEN + timedelta(seconds=60), "json")


async def test_updates_beyond_a_users_queue_bound_are_shed_but_crisis_language_is_not() -> None:
    processor = PerUserProcessor(
        max_concurrent=4, buckets=Buckets(burst=1000), max_queued_per_user=3, clock=lambda: 0.0
    )
    gate = asyncio.Event()
    ran: list[tuple[int, bool]] = []  # (update id, shed)

    async def handle(update: Update) -> None:
        shed = update.update_id in processor.shed
        ran.append((update.update_id, shed))
        if not shed:
            await gate.wait()

    updates = [message(i, 7) for i in range(10)] + [message(10, 7, "I want to kill myself")]
    tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in updates]
    for _ in range(20):
        await asyncio.sleep(0)  # let every task reach its place (or be shed)
    assert processor.queued == 4  # three waiting for user 7's turn, and the crisis message
    assert sorted(uid for uid, shed in ran if shed) == [3, 4, 5, 6, 7, 8, 9]
    gate.set()
    await asyncio.gather(*tasks)
    assert [uid for uid, shed in ran if not shed] == [0, 1, 2, 10]  # in order
    assert processor.queued == 0 and processor.shed == {}


async def test_a_bound_on_everyone_queued_together() -> None:
    processor = PerUserProcessor(
        max_concurrent=1, buckets=Buckets(burst=1000), max_queued=5, clock=lambda: 0.0
    )
    gate = asyncio.Event()
    shed: list[int] = []

    async def handle(update: Update) -> None:
        if update.update_id in processor.shed:
            shed.append(update.update_id)
            return
        await gate.wait()

    updates = [message(i, 100 + i) for i in range(8)]  # eight different users
    tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in updates]
    for _ in range(20):
        await asyncio.sleep(0)
    assert processor.queued == 5 and shed == [5, 6, 7]
    gate.set()
    await asyncio.gather(*tasks)


async def test_a_shed_button_press_costs_no_early_answer(monkeypatch: MonkeyPatch) -> None:
    """A press that must wait is answered at once (defects-b), but not one that is shed: the
    shed handler stops it at once, and a flood must cost nothing but that."""
    answered: list[str] = []

    async def record(query: CallbackQuery) -> None:
        answered.append(query.id)

    monkeypatch.setattr(PerUserProcessor, "_answer", staticmethod(record))
    processor = PerUserProcessor(
        max_concurrent=4, buckets=Buckets(burst=1000), max_queued_per_user=2, clock=lambda: 0.0
    )
    gate = asyncio.Event()
    seen: list[tuple[int, bool, bool]] = []  # (update id, shed, answered early)

    async def handle(update: Update) -> None:
        query = update.callback_query
        early = query is not None and answered_early(query.id)
        seen.append((update.update_id, update.update_id in processor.shed, early))
        if update.update_id == 0:
            await gate.wait()

    updates = [message(0, 7), press(1, 7), press(2, 7)]
    tasks = [asyncio.create_task(processor.process_update(u, handle(u))) for u in updates]
    for _ in range(20):
        await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(*tasks)
    assert sorted(seen) == [(0, False, False), (1, False, True), (2, True, False)]
    assert answered == ["q1"]  # the press that waited its turn; not the shed one


def press(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    shown = Message(update_id, WHEN, chat, from_user=user, text="question")
    query = CallbackQuery(f"q{update_id}", user, "chat", message=shown, data="ci:skip:m_need")
    return Update(update_id, callback_query=query)

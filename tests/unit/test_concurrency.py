"""PerUserProcessor: concurrent across users, one at a time and in order for each user."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.concurrency import PerUserProcessor, update_key

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def message_update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, WHEN, chat, from_user=user, text="hi"))


def test_update_key() -> None:
    assert update_key(message_update(1, 7)) == ("user", 7)
    assert update_key("not an update") is None
    assert update_key(Update(5)) is None


async def test_each_users_updates_run_one_at_a_time_in_arrival_order() -> None:
    processor = PerUserProcessor(max_concurrent=2)
    log: list[tuple[str, int, int]] = []
    running: set[int] = set()
    most_at_once = 0

    async def handle(user_id: int, seq: int) -> None:
        nonlocal most_at_once
        assert user_id not in running, "two updates of one user overlapped"
        running.add(user_id)
        most_at_once = max(most_at_once, len(running))
        log.append(("start", user_id, seq))
        for _ in range(3):
            await asyncio.sleep(0)  # yield: let everything else that can run, run
        log.append(("end", user_id, seq))
        running.discard(user_id)

    tasks = []
    for seq in range(30):
        user_id = (1, 2, 3)[seq % 3] if seq % 4 else 1  # user 1 is the chatty one
        update = message_update(seq, user_id)
        tasks.append(asyncio.create_task(processor.process_update(update, handle(user_id, seq))))
    await asyncio.gather(*tasks)

    for user_id in (1, 2, 3):
        starts = [seq for kind, uid, seq in log if kind == "start" and uid == user_id]
        assert starts == sorted(starts)
    assert most_at_once == 2  # concurrent across users, bounded by max_concurrent
    assert processor.active_keys == 0  # per-user locks are forgotten once idle


async def test_a_slow_update_does_not_hold_up_another_user() -> None:
    processor = PerUserProcessor(max_concurrent=4)
    gate = asyncio.Event()
    done: list[str] = []

    async def slow() -> None:
        await gate.wait()
        done.append("A1")

    async def quick(name: str) -> None:
        done.append(name)

    a1 = asyncio.create_task(processor.process_update(message_update(1, 1), slow()))
    a2 = asyncio.create_task(processor.process_update(message_update(2, 1), quick("A2")))
    b1 = asyncio.create_task(processor.process_update(message_update(3, 2), quick("B1")))
    await b1
    assert done == ["B1"]  # A's second update waits for A's first; B does not
    gate.set()
    await asyncio.gather(a1, a2)
    assert done == ["B1", "A1", "A2"]


async def test_updates_waiting_for_their_user_do_not_take_a_slot() -> None:
    processor = PerUserProcessor(max_concurrent=2)
    gate = asyncio.Event()
    done: list[str] = []

    async def step(name: str, wait: bool = False) -> None:
        if wait:
            await gate.wait()
        done.append(name)

    def submit(update_id: int, user_id: int, name: str, wait: bool = False) -> asyncio.Task:
        update = message_update(update_id, user_id)
        return asyncio.create_task(processor.process_update(update, step(name, wait)))

    first = submit(1, 1, "A1", wait=True)
    queued = [submit(i, 1, f"A{i}") for i in range(2, 6)]  # four more from the same user
    await submit(9, 2, "B1")  # one slot is A1's; the second is free for B
    assert done == ["B1"]
    gate.set()
    await asyncio.gather(first, *queued)
    assert done == ["B1", "A1", "A2", "A3", "A4", "A5"]


async def test_cancelled_while_waiting_leaves_nothing_behind() -> None:
    processor = PerUserProcessor(max_concurrent=1)
    gate = asyncio.Event()

    async def blocker() -> None:
        await gate.wait()

    async def never() -> None:
        raise AssertionError("must not run")

    first = asyncio.create_task(processor.process_update(message_update(1, 1), blocker()))
    waiting = asyncio.create_task(processor.process_update(message_update(2, 1), never()))
    await asyncio.sleep(0)
    waiting.cancel()
    gate.set()
    await first
    assert waiting.cancelled()
    assert processor.active_keys == 0


async def test_scheduled_work_can_take_a_users_turn() -> None:
    processor = PerUserProcessor()
    done: list[str] = []

    async def update(name: str) -> None:
        done.append(name)

    async with processor.turn(1):
        a1 = asyncio.create_task(processor.process_update(message_update(1, 1), update("A1")))
        await processor.process_update(message_update(2, 2), update("B1"))
        assert done == ["B1"]  # other users go on; user 1 waits for the sweep
        done.append("sweep")
    await a1
    assert done == ["B1", "sweep", "A1"]
    assert processor.active_keys == 0

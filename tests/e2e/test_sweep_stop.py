"""A sweep told the process is stopping finishes the sends in flight and hands the rest back."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.outbound.sweep import SEND_CONCURRENCY, run_sweep
from bot.store import prompts
from tests import seed
from tests.e2e.rig import BotRig
from tests.fakebot import FakeUser

NOW = datetime(2026, 3, 3, 7, 5, tzinfo=UTC)


async def test_stopping_hands_back_the_unsent_and_the_next_sweep_sends_them_once(
    rig: BotRig,
) -> None:
    due: dict[int, int] = {}
    for user_id in range(3001, 3041):
        FakeUser(rig.server, user_id)
        seed.user(rig.db, user_id)
        prompt = prompts.add(rig.db, user_id, "morning", NOW - timedelta(minutes=5), NOW)
        assert prompt.id is not None
        due[user_id] = prompt.id
    assert rig.app is not None

    def stopping() -> bool:  # SIGTERM arrives once the first message went out
        return bool(rig.server.calls("sendMessage"))

    first = await run_sweep(rig.app, NOW, stopping=stopping)
    assert first.claimed == 40
    assert 1 <= first.sent <= SEND_CONCURRENCY  # only the sends already under way
    assert first.handed_back == 40 - first.sent
    states = Counter(prompts.get(rig.db, pid).state for pid in due.values())  # type: ignore[union-attr]
    assert states == {prompts.SENT: first.sent, prompts.PENDING: first.handed_back}

    second = await run_sweep(rig.app, NOW + timedelta(seconds=5))  # the next process, at once
    assert (second.claimed, second.sent) == (first.handed_back, first.handed_back)
    received = Counter(int(r.params["chat_id"]) for r in rig.server.calls("sendMessage"))
    assert received == dict.fromkeys(due, 1)  # every prompt exactly once

"""The sweep claims small chunks as sending needs them: one call sends everything due, a stop
leaves the unclaimed untouched, and a long sweep picks up prompts that fall due meanwhile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.outbound import sweep
from bot.outbound.sweep import run_sweep
from bot.store import prompts
from tests import seed
from tests.e2e.rig import BotRig
from tests.fakebot import FakeUser

NOW = datetime(2026, 3, 3, 7, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweep, "CHUNK", 5)
    monkeypatch.setattr(sweep, "LOW_WATER", 2)


def due_users(rig: BotRig, first: int, count: int, due: datetime = NOW) -> dict[int, int]:
    """``count`` users with a morning prompt due at ``due``; user id → prompt id."""
    found: dict[int, int] = {}
    for user_id in range(first, first + count):
        FakeUser(rig.server, user_id)
        seed.user(rig.db, user_id)
        prompt = prompts.add(rig.db, user_id, "morning", due, NOW - timedelta(days=1))
        assert prompt.id is not None
        found[user_id] = prompt.id
    return found


def received(rig: BotRig) -> Counter[int]:
    return Counter(int(r.params["chat_id"]) for r in rig.server.calls("sendMessage", ok=True))


def state_counts(rig: BotRig, due: dict[int, int]) -> Counter[str]:
    return Counter(prompts.get(rig.db, pid).state for pid in due.values())  # type: ignore[union-attr]


async def test_one_sweep_sends_everything_due_across_many_chunks_each_once(rig: BotRig) -> None:
    due = due_users(rig, 6001, 23)
    assert rig.app is not None

    report = await run_sweep(rig.app, NOW)

    assert (report.claimed, report.sent) == (23, 23)
    assert received(rig) == dict.fromkeys(due, 1)


async def test_a_limit_is_kept_across_chunks_and_the_next_sweep_sends_the_rest(
    rig: BotRig,
) -> None:
    due = due_users(rig, 6101, 20)
    assert rig.app is not None

    first = await run_sweep(rig.app, NOW, limit=12)
    assert (first.claimed, first.sent) == (12, 12)
    assert state_counts(rig, due) == {prompts.SENT: 12, prompts.PENDING: 8}

    second = await run_sweep(rig.app, NOW + timedelta(seconds=5))
    assert (second.claimed, second.sent) == (8, 8)
    assert received(rig) == dict.fromkeys(due, 1)


async def test_a_stop_claims_no_more_and_leaves_the_rest_pending(rig: BotRig) -> None:
    due = due_users(rig, 6201, 40)
    assert rig.app is not None

    def stopping() -> bool:  # SIGTERM once the first message went out
        return bool(rig.server.calls("sendMessage"))

    first = await run_sweep(rig.app, NOW, stopping=stopping)
    assert first.claimed < 40  # only what sending needed by then was claimed
    assert first.claimed == first.sent + first.handed_back
    assert state_counts(rig, due) == {prompts.SENT: first.sent, prompts.PENDING: 40 - first.sent}

    second = await run_sweep(rig.app, NOW + timedelta(seconds=5))
    assert second.sent == 40 - first.sent
    assert received(rig) == dict.fromkeys(due, 1)


async def test_a_sweep_driven_by_a_clock_sends_what_falls_due_while_it_runs(
    rig: BotRig,
) -> None:
    early = due_users(rig, 6301, 10)
    later = due_users(rig, 6401, 3, due=NOW + timedelta(minutes=3))
    assert rig.app is not None
    claims: list[datetime] = []

    def clock() -> datetime:  # the first two chunks at NOW, later ones five minutes on
        claims.append(NOW if len(claims) < 2 else NOW + timedelta(minutes=5))
        return claims[-1]

    clocked: Callable[[], datetime] = clock
    report = await run_sweep(rig.app, clocked, limit=None)

    assert (report.claimed, report.sent) == (13, 13)
    assert received(rig) == dict.fromkeys([*early, *later], 1)

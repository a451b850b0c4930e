"""Two `python -m bot` replicas on one PostgreSQL: one polls, the other stands by and takes
over within seconds when the poller dies or loses the database (bot/replicas/lease.py).

The fake Bot API answers a second concurrent getUpdates with 409 Conflict, as Telegram does:
a 409 recorded for a poll that arrived while both replicas were alive is the fight the lease
prevents. (A long poll of a poller that has just died or been cut off is answered 409 when the
next poller's first one arrives; nobody is listening for that answer any more.)"""

from __future__ import annotations

import signal
import time
from collections import Counter

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.replicas.heartbeat import APPLICATION_NAME
from bot.store.db import Database
from tests.fakebot import FakeBotApi, FakeUser
from tests.process.conftest import Processes
from tests.process.harness import (
    ELECTED,
    HELP_START,
    START_TIMEOUT,
    BotProcess,
    bot_env,
    free_port,
    next_message,
    poller_and_standby,
    server_first,
)
from tests.process.proxy import Partition
from tests.process.test_process_sweep import seed_due_prompts

pytestmark = [pytest.mark.timeout(240), pytest.mark.postgres_only]

#: The bound on failover the issue sets, in seconds.
FAILOVER = 10.0


class Replica(BotProcess):
    """A bot process with a /healthz port of its own."""

    health_port: int

    async def health(self) -> dict[str, object]:
        url = f"http://127.0.0.1:{self.health_port}/healthz"
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200
            return dict(await response.json())


async def replica(procs: Processes, server: FakeBotApi, db: Database, url: str = "") -> Replica:
    """A replica on ``db`` (through ``url``, if given: another way to the same database)."""
    port = free_port()
    env = bot_env(server, url or db.url, HEALTH_PORT=str(port), WEBHOOK_LISTEN="127.0.0.1")
    process = Replica(env)
    process.health_port = port
    procs.started.append(process)
    await process.start()
    return process


async def two_replicas(
    procs: Processes, server: FakeBotApi, db: Database
) -> tuple[Replica, Replica]:
    """Start two replicas; (the poller, the standby) once both have settled."""
    first, second = await replica(procs, server, db), await replica(procs, server, db)
    return await poller_and_standby(first, second)


def conflicts_since(server: FakeBotApi, since: float) -> int:
    """409s answered to getUpdates that arrived at or after ``since`` (monotonic)."""
    return sum(1 for r in server.calls("getUpdates") if r.status == 409 and r.time >= since)


def messages_per_chat(server: FakeBotApi) -> Counter[int]:
    return Counter(int(r.params["chat_id"]) for r in server.calls("sendMessage") if r.ok)


async def everyone_answered_once(server: FakeBotApi, first_id: int) -> None:
    people = [FakeUser(server, first_id + i) for i in range(5)]
    for person in people:
        await person.send("/help")
        assert HELP_START in (await next_message(person, START_TIMEOUT)).text
    answered = messages_per_chat(server)
    assert all(answered[person.id] == 1 for person in people), answered
    # The poller has them for good once its next getUpdates confirms them.
    pushed = {u for person in people for u in person.update_ids}
    await server.state.notifier.wait_for(lambda: pushed <= server.state.confirmed, 30)


async def test_one_poller_and_a_standby_that_takes_over_within_seconds_of_a_sigkill(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    began = time.monotonic()
    poller, standby = await two_replicas(procs, server, db)
    await everyone_answered_once(server, 6001)
    assert ELECTED not in standby.output
    assert conflicts_since(server, began) == 0  # no getUpdates fight
    assert await poller.health() == {"status": "ok", "database": True, "polling": True}
    assert (await standby.health())["polling"] is False

    # Alex starts onboarding with the poller; the standby has not seen it (it read the
    # conversation steps at its start, before).
    alex = FakeUser(server, 1001)
    await alex.send("/start")
    assert "Hi Alex" in (await next_message(alex)).text
    tap = await alex.press("Let's begin")
    await next_message(alex)
    await poller.wait_handled(tap)
    await server.state.notifier.wait_for(lambda: tap in server.state.confirmed, 30)

    killed = time.monotonic()
    assert await poller.kill() == -signal.SIGKILL
    await standby.wait_for_line(ELECTED, FAILOVER)
    await alex.send("Berlin")  # the answer to the poller's question, answered by the standby
    assert "Europe/Berlin" in (await next_message(alex, FAILOVER)).text
    took = time.monotonic() - killed
    print(f"\nfailover after SIGKILL: answered {took:.1f} s after the kill")
    assert took < FAILOVER
    await everyone_answered_once(server, 6101)
    assert (await standby.health())["polling"] is True
    # Only the dead poller's last long poll can have been answered 409.
    assert conflicts_since(server, killed) == 0
    assert await standby.stop() == 0 and "Traceback" not in standby.output
    answered = messages_per_chat(server)
    assert answered.pop(alex.id) == 3  # welcome, the city question, the time zone: once each
    assert set(answered.values()) == {1}  # nobody answered twice


async def test_a_poller_cut_off_from_the_database_stops_polling_and_the_standby_takes_over(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    poller, standby = await two_replicas(procs, server, db)
    await everyone_answered_once(server, 6001)

    cut = time.monotonic()
    with db.engine.begin() as conn:  # the poller's lock connection goes, as in a lost network
        ended = conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database() AND pid IN "
                "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)"
            ),
            {"name": APPLICATION_NAME},
        ).all()
    assert len(ended) == 1
    await poller.wait_for_line("poller_lost connection_lost", FAILOVER)
    await standby.wait_for_line(ELECTED, FAILOVER)
    await everyone_answered_once(server, 6101)
    assert conflicts_since(server, cut) == 0  # the cut-off poller stopped before the takeover
    assert poller.output.count(ELECTED) == 1  # it stands by now
    for replica in (poller, standby):
        assert await replica.stop() == 0 and "Traceback" not in replica.output
    assert set(messages_per_chat(server).values()) == {1}  # nobody answered twice


async def test_a_poller_the_network_cuts_off_stops_polling_before_the_standby_takes_over(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    """A partition: the poller's packets to PostgreSQL go nowhere, and no connection is closed.
    Its heartbeat goes unanswered and it stops polling; PostgreSQL, hearing nothing, ends its
    session after the lease, and the standby takes over within the bound, with no 409."""
    url = make_url(db.url)
    async with Partition(url.host or "127.0.0.1", url.port or 5432).running() as partition:
        through = url.set(host="127.0.0.1", port=partition.port)
        poller = await replica(procs, server, db, through.render_as_string(hide_password=False))
        await poller.wait_for_line(ELECTED, START_TIMEOUT)
        standby = await replica(procs, server, db)
        await standby.wait_for_line("poller_standby reason=another_replica_polls", START_TIMEOUT)
        await everyone_answered_once(server, 6001)

        cut = time.monotonic()
        partition.cut()
        await poller.wait_for_line("poller_lost connection_lost error=timeout", FAILOVER)
        stopped = time.monotonic() - cut
        await standby.wait_for_line(ELECTED, FAILOVER)
        took = time.monotonic() - cut
        print(f"\npartition: the poller stopped after {stopped:.1f} s, the standby polled "
              f"after {took:.1f} s")  # fmt: skip
        assert took < FAILOVER
        await everyone_answered_once(server, 6101)
        assert conflicts_since(server, cut) == 0  # the cut-off poller stopped before
        assert poller.output.count(ELECTED) == 1
        partition.heal()
        for process in (standby, poller):
            assert await process.stop() == 0 and "Traceback" not in process.output
    assert set(messages_per_chat(server).values()) == {1}  # nobody answered twice


async def test_a_frozen_poller_is_replaced_within_the_bound_and_never_polls_again(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    """SIGSTOP: the frozen poller sends no heartbeat, the server ends its session, and the
    standby answers within the bound. SIGCONT: the old poller finds its lease gone before it
    sends another getUpdates — the standby's long polls are never cut short by a 409."""
    poller, standby = await two_replicas(procs, server, db)
    await everyone_answered_once(server, 6001)
    assert poller.proc is not None

    frozen = time.monotonic()
    poller.proc.send_signal(signal.SIGSTOP)
    alex = FakeUser(server, 1001)
    await alex.send("/help")  # sent at the freeze: answered by the standby
    assert HELP_START in (await next_message(alex, FAILOVER)).text
    took = time.monotonic() - frozen
    print(f"\nfailover after SIGSTOP: answered {took:.1f} s after the freeze")
    assert took < FAILOVER
    assert ELECTED in standby.output
    # The frozen poller's last long poll was answered 409 when the standby's first one came.
    answered_409 = {id(r) for r in server.calls("getUpdates") if r.status == 409}

    poller.proc.send_signal(signal.SIGCONT)
    await poller.wait_for_line("poller_lost connection_lost", FAILOVER)
    await everyone_answered_once(server, 6101)  # by the standby, once each
    # Any getUpdates of the resumed poller would have cut the standby's long poll short.
    cut_short = [r for r in server.calls("getUpdates") if r.status == 409]
    assert [r for r in cut_short if id(r) not in answered_409] == []
    for replica in (standby, poller):
        assert await replica.stop() == 0 and "Traceback" not in replica.output
    assert poller.output.count(ELECTED) == 1  # it stood by once resumed
    assert set(messages_per_chat(server).values()) == {1}  # nobody answered twice


async def test_two_replicas_sweeping_at_once_stay_within_telegrams_rate_together(
    server: FakeBotApi, db: Database, procs: Processes
) -> None:
    """Each replica alone would send at 30/s; together, without the shared pace, at twice
    that. With it, 150 due prompts go out once each at under 30/s in all, and the fake server,
    counting Telegram's limits, answers no 429 after the first second."""
    server.enforce_limits(global_per_sec=30, per_chat_per_sec=1)
    env = bot_env(server, db.url, TELEGRAM_MAX_RATE="30")
    replicas = [await procs.start(env), await procs.start(env)]
    for replica in replicas:
        await replica.wait_for_line("poller_(elected|standby)", START_TIMEOUT)
    with server_first():  # the server's stamps are Telegram's clock (harness.server_first)
        due = seed_due_prompts(server, db, 150)  # due now: both replicas' next sweeps find them
        await server.state.notifier.wait_for(lambda: set(messages_per_chat(server)) >= set(due), 60)
    sent = [r.time for r in server.calls("sendMessage") if r.ok]
    rate = (len(sent) - 1) / (sent[-1] - sent[0])
    print(f"\ntwo replicas, shared pace: {len(sent)} prompts at {rate:.1f}/s, "
          f"{server.too_many_requests} answered 429")  # fmt: skip
    late = [r for r in server.calls("sendMessage") if r.status == 429 and r.time > sent[0] + 1]
    assert late == []  # no 429 after the first second
    assert messages_per_chat(server) == dict.fromkeys(due, 1)  # (a 429'd one went again)
    assert rate <= 30.5  # (speed is measured, not asserted: bench/replicas_burst.py)
    for replica in replicas:  # both took part: a sweep logs its counts once it has ended,
        # which can be after its last message reached the server (a 429'd one waits and goes again)
        await replica.wait_for_line(r"sweep worker=\S+ .*\bsent=[1-9]", 30)
        assert await replica.stop() == 0 and "Traceback" not in replica.output

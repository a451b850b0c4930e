"""Inbound: simulated users run a conversation against a bot process via the fake Bot API.

Closed loop: every user runs the flow as fast as the bot answers (throughput, and latency
under saturation). Open loop: steps are offered at a fixed rate whatever the bot does (the
latency a user sees at that load). Latency = push_update -> the step's first reply request
arriving at the server. The echo bot runs the same update mix and gives the ceiling.
"""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime

import psutil

from bench.databases import discard, fresh_pg, fresh_sqlite, truncate_all
from bench.flows import Flow, echo_flow
from bench.procs import BotProcess
from bench.server import BenchServer
from bench.stats import Result, ms, percentile
from bot.store.db import Database
from tests.fakebot import FakeUser

STEP_TIMEOUT = 60.0


class Run:
    """One load against a running bot: users with ids from ``base``, their latencies."""

    def __init__(self, server: BenchServer, flow: Flow, users: int, base: int) -> None:
        self.server = server
        self.flow = flow
        self.users = [FakeUser(server, base + i, first_name=f"U{i}") for i in range(users)]
        self.latencies: list[float] = []
        self.late = 0
        self.errors: list[str] = []

    async def _step(self, user: FakeUser, index: int) -> None:
        step = self.flow.steps[index]
        target = None
        if step.action == "tap":
            target = self.server.keyboard_message(user.chat_id, step.value)
        waiter = self.server.expect(user.chat_id, step.replies, step.via)
        pushed = time.monotonic()
        if target is None:
            update_id = await user.send(step.value)
        else:
            update_id = await user.press(step.value, message=target)
        self.pushed(update_id, pushed)
        first = await asyncio.wait_for(waiter.done, STEP_TIMEOUT)
        self.latencies.append(first - pushed)

    def pushed(self, update_id: int, when: float) -> None:
        """Called as each step's update is pushed (bench/taps.py times button presses)."""

    async def _user(self, user: FakeUser, schedule: list[float] | None) -> None:
        try:
            for index in range(len(self.flow.steps)):
                if schedule is not None:
                    delay = schedule[index] - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    elif delay < -0.001:
                        self.late += 1
                await self._step(user, index)
        except (TimeoutError, AssertionError) as exc:
            self.errors.append(f"user {user.id}: {type(exc).__name__} {exc}"[:200])

    async def closed(self) -> float:
        start = time.monotonic()
        await asyncio.gather(*(self._user(u, None) for u in self.users))
        return time.monotonic() - start

    async def open(self, rate: float) -> float:
        """Offer ``rate`` updates/s: user u's step k at (k * users + u) / rate."""
        start = time.monotonic() + 0.05
        n = len(self.users)
        plans = [
            [start + (k * n + u) / rate for k in range(len(self.flow.steps))] for u in range(n)
        ]
        await asyncio.gather(*(self._user(user, plans[u]) for u, user in enumerate(self.users)))
        return time.monotonic() - start

    async def check(self, settle: float = 0.3) -> list[str]:
        """Every user got exactly the flow's replies, the last one saying what it should."""
        await asyncio.sleep(settle)  # late extra replies would show up here
        problems = list(self.errors[:5])
        wrong = [u.id for u in self.users if self.server.reply_counts[u.id] != self.flow.replies]
        if wrong:
            got = sorted({self.server.reply_counts[i] for i in wrong})
            problems.append(
                f"{len(wrong)} users did not get exactly {self.flow.replies} replies (got {got})"
            )
        if self.flow.final_text:
            bad = 0
            for user in self.users:
                ids = self.server.bot_messages[user.id]
                last = self.server.state.messages.get((user.id, ids[-1])) if ids else None
                if last is None or self.flow.final_text not in (last.get("text") or ""):
                    bad += 1
            if bad:
                problems.append(f"{bad} users' last reply lacks {self.flow.final_text!r}")
        return problems


def _prepare(flow: Flow, url: str | None, ids: list[int]) -> None:
    if flow.prepare is not None and url is not None:
        db = Database(url)
        try:
            flow.prepare(db, ids, datetime.now(UTC))
        finally:
            db.dispose()


async def measure(
    server: BenchServer,
    bot: BotProcess,
    flow: Flow,
    label: str,
    users: int,
    base: int,
    database_url: str | None = None,
    rate: float | None = None,
) -> Result:
    """One closed-loop (rate None) or open-loop run against an already polling bot."""
    run = Run(server, flow, users, base)
    _prepare(flow, database_url, [u.id for u in run.users])
    me = psutil.Process()
    unexpected, cpu0, own0 = server.unexpected, bot.cpu_seconds(), me.cpu_times()
    seconds = await (run.closed() if rate is None else run.open(rate))
    cpu, own = bot.cpu_seconds() - cpu0, me.cpu_times()
    updates = users * len(flow.steps)
    mode = "closed" if rate is None else f"open {rate:g}/s"
    result = Result(f"inbound {label} {mode} {users} users")
    figures = result.figures
    if rate is not None:
        figures["offered_per_s"] = rate
    figures["updates"] = updates
    figures["updates_per_s"] = updates / seconds if seconds else 0.0
    figures["p50_ms"] = ms(percentile(run.latencies, 50))
    figures["p99_ms"] = ms(percentile(run.latencies, 99))
    figures["max_ms"] = ms(max(run.latencies, default=float("nan")))
    figures["bot_cpu_ms_per_update"] = round(cpu * 1000 / updates, 2)
    harness = (own.user + own.system - own0.user - own0.system) / seconds if seconds else 0
    figures["harness_cpu_share"] = round(harness, 2)
    if rate is not None:
        figures["late_pushes"] = run.late
    result.problems = await run.check()
    if server.unexpected != unexpected:
        result.problems.append(f"{server.unexpected - unexpected} replies nobody waited for")
    return result


ECHOES = ("echo", "echo-aiohttp")  # PTB's stock transport, and Steady's (bench/botproc.py)


def _database(target: str, database_url: str | None) -> str | None:
    if target in ECHOES:
        return None
    if database_url is not None:
        return database_url
    if target == "sqlite":
        return fresh_sqlite()
    # A name of one's own (steady_bench_*) when several sessions share the server.
    return fresh_pg(os.environ.get("STEADY_BENCH_INBOUND_DB", "steady_bench_inbound"))


async def run_target(
    target: str,
    flow: Flow,
    closed_users: list[int],
    open_rate: float | None = 100.0,
    open_users: int = 200,
    database_url: str | None = None,
) -> list[Result]:
    """Start one bot (``sqlite``, ``postgres``, ``echo`` or ``echo-aiohttp``) and run every
    load against it."""
    url = _database(target, database_url)
    if url is not None and database_url is not None:
        db = Database(url)
        truncate_all(db)
        db.dispose()
    used = echo_flow(flow) if target in ECHOES else flow
    results: list[Result] = []
    async with BenchServer() as server:
        bot = await BotProcess(server, target if target in ECHOES else "steady", url).start()
        try:
            await bot.settle()  # start-up's warm-ups are not any update's work
            base = 10_000_000
            for users in closed_users:
                results.append(await measure(server, bot, used, target, users, base, url))
                base += 1_000_000
            if open_rate:
                results.append(
                    await measure(server, bot, used, target, open_users, base, url, open_rate)
                )
            for r in results:
                r.figures["bot_rss_mb"] = round(bot.rss_mb(), 1)
        finally:
            await bot.stop()
        counts, total = bot.sql_counts(), sum(r.figures["updates"] for r in results)
        if counts and total:
            for r in results:
                r.figures["sql_per_update"] = round(counts["statements"] / total, 1)
                r.figures["commits_per_update"] = round(counts["commits"] / total, 1)
                r.figures["gc_full_runs"] = int(counts.get("gc_full", 0))
                r.figures["gc_full_max_ms"] = counts.get("gc_full_max_ms", 0.0)
        if any(r.problems for r in results):
            results[-1].problems.append("bot log tail: " + bot.log_tail()[-1500:])
        bot.cleanup()
    if url is not None and database_url is None:
        discard(url)
    return results


def ratios(results: list[Result]) -> list[Result]:
    """Our closed-loop throughput as a share of each echo bot's at the same user count."""
    out: list[Result] = []
    for echo in ECHOES:
        ceiling = {
            r.figures["updates"]: r.figures["updates_per_s"]
            for r in results
            if r.name.startswith(f"inbound {echo} closed") and r.ok
        }
        for r in results:
            if " closed " not in r.name or r.name.startswith("inbound echo") or not r.ok:
                continue
            echo_rate = ceiling.get(r.figures["updates"])
            if echo_rate:
                ratio = round(r.figures["updates_per_s"] / echo_rate, 2)
                out.append(Result(r.name.replace("inbound", f"ratio to {echo}"), {"ratio": ratio}))
    return out

"""The sweep: one repeating job that sends every due prompt.

See docs/ARCHITECTURE.md, Scheduled messages.

A sweep claims due prompts in small chunks (``CHUNK``), each in one short transaction run in a
worker thread that also writes their next occurrences, and sends them ``SEND_CONCURRENCY`` at a
time through the rate-limited bot (bot/ratelimit.py) as scheduled sends, behind any reply a
user is waiting for; each is marked sent the moment Telegram accepted it
(bot/outbound/send.py, which also handles failures). The next chunk is
claimed while the previous one is still being sent, so the limiter always has work and sends
at its full rate; the job's tick goes on while prompts are due, other ticks meanwhile find it
busy. Only a chunk or so is ever claimed but unsent, which is what a stop hands back and what a
crash leaves for ``STALE_CLAIM``. A stop that runs out of time (bot/shutdown.py) cancels the
tick: its sends still waiting are cancelled and handed back with the rest.

The tick also does housekeeping: once an hour it prunes old finished prompts
(bot/outbound/prune.py), and every quarter hour it closes conversations left hanging
(bot/outbound/idle.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from telegram.ext import Application, CallbackContext

from bot import ratelimit, shutdown
from bot.handlers.common import RUNTIME_KEY, Ctx
from bot.models import DuePrompt, User
from bot.outbound import idle as hanging
from bot.outbound.prune import prune_if_due
from bot.outbound.send import deliver
from bot.runtime import Runtime
from bot.services import due as plan_sweep
from bot.services.due import Action
from bot.store import prompts
from bot.store.claim import claim_tick, due_counts, users_by_id

log = logging.getLogger(__name__)


#: Most prompts one ``run_sweep`` call claims by default (the job's tick sets no limit).
BATCH = 1000
#: Prompts claimed at once: about two seconds of sending at 30/s, a few ms of database work.
CHUNK = 64
#: The next chunk is claimed when fewer claimed prompts than this wait to be sent.
LOW_WATER = CHUNK // 2
#: Sends in flight at once; small, so replies to users never queue far behind the sweep.
SEND_CONCURRENCY = 8
WORKER_KEY = "sweep_worker"
BUSY_KEY = "sweep_busy"

App = Application  # type: ignore[type-arg]


@dataclass
class SweepReport:
    claimed: int = 0
    sent: int = 0
    late: int = 0  # 2 hours or more late: skipped
    paused: int = 0
    inactive: int = 0
    answered: int = 0  # already done early (that day's check-in, /summary): skipped
    blocked: int = 0  # 403 while sending: the user is now inactive
    retry: int = 0  # released for a later tick
    failed: int = 0  # skipped: no sender, nothing to send, or a permanent error
    handed_back: int = 0  # not sent because the process is stopping: back to pending


class SweepCtx(Ctx):
    """The context senders get: ``now()`` is the sweep's chosen time."""

    def __init__(self, application: App, now: datetime) -> None:
        super().__init__(application=application)
        self._sweep_now = now

    def now(self) -> datetime:
        return self._sweep_now


def worker_id(app: App) -> str:
    """A name for this process's claims, stable for the Application's life."""
    if WORKER_KEY not in app.bot_data:
        host = socket.gethostname()[:32]
        app.bot_data[WORKER_KEY] = f"{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    return str(app.bot_data[WORKER_KEY])


def _app(target: App | CallbackContext[Any, Any, Any, Any]) -> App:
    return target.application if isinstance(target, CallbackContext) else target


async def run_sweep(
    target: App | CallbackContext[Any, Any, Any, Any],
    now: datetime | Callable[[], datetime],
    *,
    limit: int | None = BATCH,
    stopping: Callable[[], bool] | None = None,
) -> SweepReport:
    """Send what is due at ``now``, up to ``limit`` prompts (None: until nothing is due).

    Tests call this directly with a chosen time; the job passes its clock instead, so each
    chunk is claimed (and its late prompts judged) at the time it is claimed. Once
    ``stopping()`` is true (the process got SIGTERM), sends in flight finish, nothing more is
    claimed and what is claimed but unsent is handed back, so a stop takes moments and the
    next process sends the rest.
    """
    app = _app(target)
    clock = now if callable(now) else (lambda: now)
    sweep = _Sweep(app, clock, stopping or (lambda: False))
    try:
        with ratelimit.scheduled():  # replies to users go before these (bot/ratelimit.py)
            await sweep.run(limit)
    finally:  # cut short by a stop too: what was handed back is worth a line
        report = sweep.report
        if report.claimed:
            counts = " ".join(f"{name}={value}" for name, value in asdict(report).items())
            log.info("sweep worker=%s %s", sweep.worker, counts)
    return report


@dataclass
class _Send:
    ctx: SweepCtx
    prompt: DuePrompt
    user: User


class _Sweep:
    """Claims small chunks as sending needs them and keeps SEND_CONCURRENCY sends going.

    The next chunk is claimed (in a worker thread) while the last ones are still being sent,
    so the rate limiter never runs dry between chunks; a chunk is a few milliseconds of
    database work, so the event loop is never held up for long, and few prompts sit claimed
    but unsent if the process dies.
    """

    def __init__(self, app: App, clock: Callable[[], datetime], stopping: Callable[[], bool]):
        self.app = app
        self.rt: Runtime = app.bot_data[RUNTIME_KEY]
        self.worker = worker_id(app)
        self.clock = clock
        self.stopping = stopping
        self.report = SweepReport()
        self.ahead_until: datetime | None = None  # this run's burst reach (first claim)

    async def run(self, limit: int | None) -> None:
        queued: deque[_Send] = deque()
        sending: dict[asyncio.Task[None], _Send] = {}
        claiming: asyncio.Task[tuple[int, list[_Send]]] | None = None
        more, asked = True, 0  # more may be due (the last claim got all it asked for)
        cut = False
        try:
            while True:
                stop = self.stopping()
                more = more and not stop
                wanted = CHUNK if limit is None else min(CHUNK, limit - self.report.claimed)
                if more and claiming is None and len(queued) < LOW_WATER and wanted > 0:
                    claiming, asked = asyncio.create_task(self._claim(wanted)), wanted
                while not stop and queued and len(sending) < SEND_CONCURRENCY:
                    send = queued.popleft()
                    sending[asyncio.create_task(self._send(send))] = send
                waiting: set[asyncio.Task[Any]] = {*sending, *([claiming] if claiming else [])}
                if not waiting:
                    return
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for task in done & sending.keys():
                    del sending[task]
                    task.result()  # deliver() handles Telegram's errors; a database one stops us
                if claiming is not None and claiming in done:
                    task, claiming = claiming, None
                    claimed, sends = task.result()
                    more = more and claimed == asked  # fewer: nothing more is due now
                    queued.extend(sends)
        except asyncio.CancelledError:
            cut = True  # the stop's time is up (bot/shutdown.py): hand everything unsent back
            raise
        finally:
            await self._wind_down(queued, sending, claiming, cut)

    async def _wind_down(
        self,
        queued: deque[_Send],
        sending: dict[asyncio.Task[None], _Send],
        claiming: asyncio.Task[tuple[int, list[_Send]]] | None,
        cut: bool,
    ) -> None:
        """After a stop or an error: let sends in flight finish (cut short: cancel them too),
        hand back the unsent."""
        if cut:
            for task in sending:
                task.cancel()
        if sending:
            await asyncio.gather(*sending, return_exceptions=True)
            queued.extend(send for task, send in sending.items() if task.cancelled())
        if claiming is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                queued.extend((await claiming)[1])
        ids = [send.prompt.id for send in queued if send.prompt.id is not None]
        if ids:
            self.report.handed_back += await asyncio.to_thread(
                prompts.hand_back, self.rt.db, ids, self.worker
            )

    async def _claim(self, limit: int) -> tuple[int, list[_Send]]:
        """Claim up to ``limit`` due prompts; returns how many were claimed and what to send."""
        now = self.clock()
        if self.ahead_until is None:
            self.ahead_until = await asyncio.to_thread(self._ahead_until, now)
        claimed, plan = await asyncio.to_thread(
            claim_tick,
            self.rt.db,
            now,
            self.worker,
            limit,
            lambda rows, us: plan_sweep.plan(rows, us, now),
            self.ahead_until,
        )
        report = self.report
        report.claimed += len(claimed)
        if plan is None:
            return len(claimed), []
        to_send = plan.to_send
        found = await asyncio.to_thread(users_by_id, self.rt.db, (d.user_id for d in to_send))
        report.late += plan.count(Action.LATE)
        report.paused += plan.count(Action.PAUSED)
        report.inactive += plan.count(Action.INACTIVE)
        report.answered += plan.count(Action.ANSWERED)
        rows = {row["id"]: row for row in claimed}
        ctx = SweepCtx(self.app, now)
        return len(claimed), [
            _Send(
                ctx,
                DuePrompt.model_construct(**rows[d.prompt_id], state="claimed"),
                found[d.user_id],
            )
            for d in to_send
            if d.user_id in found
        ]

    def _ahead_until(self, now: datetime) -> datetime:
        """How far ahead this run sends: a burst too big to send in moments begins early, so
        that it is centred on its time (services/due.py, ``send_ahead_until``), planned at the
        pace the limiter really keeps (``PacedRateLimiter.scheduled_rate``)."""
        limiter = self.app.bot.rate_limiter
        if not isinstance(limiter, ratelimit.PacedRateLimiter):
            return now  # (no pace of ours: sent on time)
        rate = limiter.scheduled_rate()
        if rate <= 0:
            return now
        counts = due_counts(self.rt.db, now, now + plan_sweep.MAX_LEAD)
        return plan_sweep.send_ahead_until(now, counts, rate)

    async def _send(self, send: _Send) -> None:
        outcome = await deliver(send.ctx, self.rt, self.worker, send.prompt, send.user)
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)


async def _tick(context: Ctx) -> None:
    app = context.application
    if app.bot_data.get(BUSY_KEY):
        return  # the previous tick is still sending; its claim covers what is due
    app.bot_data[BUSY_KEY] = True
    try:
        rt = context.rt
        # No limit: the tick goes on while prompts are due, so sending never waits for the
        # next tick; ticks meanwhile find it busy and return.
        try:
            with shutdown.in_flight(app).track():
                await run_sweep(app, rt.now, limit=None, stopping=lambda: not app.running)
        except asyncio.CancelledError:
            if app.running:
                raise
            shutdown.uncancel()  # cut short by the stop, its claims handed back: done
            log.info("sweep_cut_short worker=%s", worker_id(app))
            return
        if app.running:  # housekeeping can wait for the next process
            now = rt.now()
            await prune_if_due(app, now)
            with ratelimit.scheduled():
                await hanging.close_if_due(app, now)
    finally:
        app.bot_data[BUSY_KEY] = False


def register(app: App) -> None:
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    if not rt.run_jobs or app.job_queue is None:
        return
    app.job_queue.run_repeating(
        _tick,  # type: ignore[arg-type]
        interval=rt.settings.sweep_interval,
        first=1.0,
        name="sweep",
        job_kwargs={"max_instances": 2, "coalesce": True, "misfire_grace_time": None},
    )

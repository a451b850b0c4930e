"""The sweep: one repeating job that sends every due prompt (see DESIGN.md, Scheduling).

Each tick claims a bounded batch of due prompts in one short transaction (run in a worker
thread, so the event loop keeps handling updates), writes their next occurrences there and
then, and only then, sends: each prompt through the sender registered for its kind, a few at
a time through the rate-limited bot, and is marked sent the moment Telegram accepted it.

The tick also does housekeeping: once an hour it prunes old finished prompts, and every quarter
hour it closes conversations left hanging (bot/handlers/hanging.py).

Failures: 403 (blocked, deactivated) marks the user inactive and cancels their prompts;
network trouble, time-outs, 5xx and exhausted flood waits release the prompt for a retry
with backoff on a later tick; anything else skips it (logged by id).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackContext

from bot.handlers import delivery, hanging
from bot.handlers.common import RUNTIME_KEY, Ctx
from bot.models import DuePrompt, User
from bot.runtime import Runtime
from bot.services import sweep as plan_sweep
from bot.services.sweep import Action, Decision
from bot.store import prompts, users
from bot.store.sweep import claim_tick, users_by_id

log = logging.getLogger(__name__)

COMMANDS: list[tuple[str, str]] = []

#: Prompts claimed per tick: bounds the DB work and the time one tick spends sending.
BATCH = 1000
#: Sends in flight at once; small, so replies to users never queue far behind the sweep.
SEND_CONCURRENCY = 8
WORKER_KEY = "sweep_worker"
BUSY_KEY = "sweep_busy"
PRUNED_KEY = "sweep_pruned_at"
#: Finished prompts are kept this long (buttons expire long before), then deleted.
KEEP_FINISHED = timedelta(days=30)
PRUNE_EVERY = timedelta(hours=1)

App = Application  # type: ignore[type-arg]


@dataclass
class SweepReport:
    claimed: int = 0
    sent: int = 0
    late: int = 0  # 2 hours or more late: skipped
    paused: int = 0
    inactive: int = 0
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
    now: datetime,
    *,
    limit: int = BATCH,
    stopping: Callable[[], bool] | None = None,
) -> SweepReport:
    """One tick at ``now``: claim what is due, plan, send. Tests call this directly.

    Once ``stopping()`` is true (the process got SIGTERM), sends in flight finish and the rest
    of the batch is handed back, so a stop takes moments and the next process sends the rest.
    """
    app = _app(target)
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    worker = worker_id(app)
    claimed, plan = await asyncio.to_thread(
        claim_tick, rt.db, now, worker, limit, lambda rows, us: plan_sweep.plan(rows, us, now)
    )
    report = SweepReport(claimed=len(claimed))
    if plan is None:
        return report
    to_send = plan.to_send
    found = await asyncio.to_thread(users_by_id, rt.db, (d.user_id for d in to_send))
    report.late = plan.count(Action.LATE)
    report.paused = plan.count(Action.PAUSED)
    report.inactive = plan.count(Action.INACTIVE)
    rows = {row["id"]: row for row in claimed}
    ctx = SweepCtx(app, now)
    gate = asyncio.Semaphore(SEND_CONCURRENCY)

    not_sent: list[int] = []

    async def deliver(decision: Decision) -> None:
        async with gate:
            if stopping is not None and stopping():
                not_sent.append(decision.prompt_id)
                return
            prompt = DuePrompt.model_construct(**rows[decision.prompt_id], state="claimed")
            await _deliver(ctx, rt, worker, prompt, found[decision.user_id], now, report)

    await asyncio.gather(*(deliver(d) for d in to_send if d.user_id in found))
    if not_sent:
        report.handed_back = await asyncio.to_thread(prompts.hand_back, rt.db, not_sent, worker)
    log.info(
        "sweep worker=%s claimed=%s sent=%s late=%s paused=%s inactive=%s blocked=%s "
        "retry=%s failed=%s handed_back=%s",
        worker,
        report.claimed,
        report.sent,
        report.late,
        report.paused,
        report.inactive,
        report.blocked,
        report.retry,
        report.failed,
        report.handed_back,
    )
    return report


async def _deliver(
    ctx: SweepCtx,
    rt: Runtime,
    worker: str,
    prompt: DuePrompt,
    user: User,
    now: datetime,
    report: SweepReport,
) -> None:
    assert prompt.id is not None
    sender = delivery.sender_for(prompt.kind)
    if sender is None:
        log.warning("sweep_no_sender prompt_id=%s kind=%s", prompt.id, prompt.kind)
        prompts.mark_skipped(rt.db, prompt.id, worker)
        report.failed += 1
        return
    try:
        message: Message | None = await sender(ctx, user, prompt)
    except Forbidden:
        _blocked(rt, worker, prompt, user, now)
        report.blocked += 1
        return
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            _blocked(rt, worker, prompt, user, now)
            report.blocked += 1
            return
        log.warning("sweep_bad_request prompt_id=%s user_id=%s", prompt.id, user.id)
        prompts.mark_skipped(rt.db, prompt.id, worker)
        report.failed += 1
        return
    except (NetworkError, RetryAfter) as exc:
        log.info(
            "sweep_retry prompt_id=%s attempts=%s error=%s",
            prompt.id,
            prompt.attempts,
            type(exc).__name__,
        )
        prompts.release(rt.db, prompt.id, worker, now)
        report.retry += 1
        return
    except Exception as exc:  # a bug in a sender must not stop the sweep
        log.error(
            "sweep_send_failed prompt_id=%s kind=%s error=%s",
            prompt.id,
            prompt.kind,
            type(exc).__name__,
        )
        prompts.mark_skipped(rt.db, prompt.id, worker)
        report.failed += 1
        return
    if message is None:
        prompts.mark_skipped(rt.db, prompt.id, worker)
        report.failed += 1
        return
    prompts.mark_sent(rt.db, prompt.id, worker, now, message.message_id)
    report.sent += 1


def _blocked(rt: Runtime, worker: str, prompt: DuePrompt, user: User, now: datetime) -> None:
    """The user blocked the bot (or is gone): nothing more until they write again."""
    assert prompt.id is not None
    users.mark_inactive(rt.db, user.id, now)
    prompts.cancel_pending(rt.db, user.id)
    prompts.mark_skipped(rt.db, prompt.id, worker)
    log.info("user_inactive user_id=%s prompt_id=%s", user.id, prompt.id)


async def _tick(context: Ctx) -> None:
    app = context.application
    if app.bot_data.get(BUSY_KEY):
        return  # the previous tick is still sending; its claim covers what is due
    app.bot_data[BUSY_KEY] = True
    try:
        now = context.rt.now()
        await run_sweep(app, now, stopping=lambda: not app.running)
        if app.running:  # housekeeping can wait for the next process
            await prune_if_due(app, now)
            await hanging.close_if_due(app, now)
    finally:
        app.bot_data[BUSY_KEY] = False


async def prune_if_due(app: App, now: datetime) -> int:
    """Once an hour, delete a bounded batch of old finished prompts."""
    last: datetime | None = app.bot_data.get(PRUNED_KEY)
    if last is not None and now - last < PRUNE_EVERY:
        return 0
    app.bot_data[PRUNED_KEY] = now
    rt: Runtime = app.bot_data[RUNTIME_KEY]
    deleted = await asyncio.to_thread(prompts.prune, rt.db, now - KEEP_FINISHED)
    if deleted:
        log.info("sweep_pruned rows=%s", deleted)
    return deleted


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

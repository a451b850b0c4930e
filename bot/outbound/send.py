"""Sending one claimed prompt for the sweep (bot/outbound/sweep.py), and what each outcome
writes.

403 (blocked, deactivated) or "chat not found" marks the user inactive and cancels their
prompts; network trouble, time-outs, 5xx and exhausted flood waits release the prompt for a
retry with backoff on a later tick; anything else skips it (logged by id).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Literal

from telegram import Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.content import i18n
from bot.handlers.common import Ctx
from bot.models import DuePrompt, User
from bot.outbound import senders as delivery
from bot.runtime import Runtime
from bot.services import profile, timetable
from bot.store import prompts

log = logging.getLogger(__name__)

#: SweepReport's counter each outcome adds to.
Outcome = Literal["sent", "blocked", "retry", "failed"]


async def deliver(ctx: Ctx, rt: Runtime, worker: str, prompt: DuePrompt, user: User) -> Outcome:
    """Send one claimed prompt through its kind's sender and record what happened.

    Database writes run in a worker thread, so the event loop goes on with other sends (and
    users' updates) meanwhile; the prompt is marked sent before this returns, so only sends
    under way can be caught between Telegram accepting them and the mark (README,
    "Reliability").
    """
    assert prompt.id is not None
    now = ctx.now()
    sender = delivery.sender_for(ctx.application, prompt.kind)
    if sender is None:
        log.warning("sweep_no_sender prompt_id=%s kind=%s", prompt.id, prompt.kind)
        await asyncio.to_thread(prompts.mark_skipped, rt.db, prompt.id, worker)
        return "failed"
    try:
        with i18n.using(profile.language(user)):  # their language, not the last update's
            message: Message | None = await sender(ctx, user, prompt)
    except Forbidden:
        await asyncio.to_thread(_blocked, rt, worker, prompt, user, now)
        return "blocked"
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            await asyncio.to_thread(_blocked, rt, worker, prompt, user, now)
            return "blocked"
        log.warning("sweep_bad_request prompt_id=%s user_id=%s", prompt.id, user.id)
        await asyncio.to_thread(prompts.mark_skipped, rt.db, prompt.id, worker)
        return "failed"
    except (NetworkError, RetryAfter) as exc:
        log.info(
            "sweep_retry prompt_id=%s attempts=%s error=%s",
            prompt.id,
            prompt.attempts,
            type(exc).__name__,
        )
        await asyncio.to_thread(prompts.release, rt.db, prompt.id, worker, now)
        return "retry"
    except Exception as exc:  # a bug in a sender must not stop the sweep
        log.error(
            "sweep_send_failed prompt_id=%s kind=%s error=%s",
            prompt.id,
            prompt.kind,
            type(exc).__name__,
        )
        await asyncio.to_thread(prompts.mark_skipped, rt.db, prompt.id, worker)
        return "failed"
    if message is None:
        await asyncio.to_thread(prompts.mark_skipped, rt.db, prompt.id, worker)
        return "failed"
    await asyncio.to_thread(prompts.mark_sent, rt.db, prompt.id, worker, now, message.message_id)
    return "sent"


def _blocked(rt: Runtime, worker: str, prompt: DuePrompt, user: User, now: datetime) -> None:
    """The user blocked the bot (or is gone): nothing more until they write again."""
    assert prompt.id is not None
    timetable.stop(rt.db, user.id, now)
    prompts.mark_skipped(rt.db, prompt.id, worker)
    log.info("user_inactive user_id=%s prompt_id=%s", user.id, prompt.id)

"""/summary (the last 7 days, or /summary 4w) and the weekly summary the sweep sends.

The text goes first, then the chart as a photo (rendered in a worker thread). The chart is best
effort: once the text is out the summary counts as delivered, so a failing photo never makes the
sweep send the text twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from telegram import Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CommandHandler

from bot.charts import render_week_chart_async
from bot.content import t
from bot.handlers.common import Ctx, clip, onboarded_user, say
from bot.handlers.limits import cooled_down
from bot.models import DuePrompt, User
from bot.services import profile
from bot.services.summary import build_summary, has_activity, mark_requested
from bot.services.summary_text import chart_title, parse_weeks, render

log = logging.getLogger(__name__)

WEEKLY_KIND = "weekly"


async def send_summary(
    ctx: Ctx,
    user: User,
    now: datetime,
    weeks: int = 1,
    *,
    skip_if_quiet: bool = False,
) -> Message | None:
    """Send the summary text and its chart to the user's private chat (never a group: it
    holds their feelings and the names in their triggers); returns the text message.

    ``skip_if_quiet`` (the weekly message): send nothing and return None when this period and
    the one before were both empty — a quiet user gets one kind note, not one every Sunday.
    """
    parts = ctx.rt.records.summary
    summary = build_summary(ctx.db, parts, user, now, weeks)
    quiet = summary.empty and skip_if_quiet
    if quiet and not has_activity(ctx.db, parts, user, *summary.period.previous):
        log.info("summary_skipped_quiet user_id=%s", user.id)
        return None
    chart: bytes | None = None
    if not summary.empty:
        try:
            chart = await render_week_chart_async(summary.chart, chart_title(summary))
        except Exception as exc:  # a chart is never worth losing the summary over
            log.warning("summary_chart_failed user_id=%s error=%s", user.id, type(exc).__name__)
    chat = user.id  # the private chat
    message = await ctx.bot.send_message(chat, clip(render(summary)))
    if chart is not None:
        try:
            await ctx.bot.send_photo(chat, chart, caption=t("summary.chart_caption"))
        except Forbidden:
            raise
        except TelegramError as exc:
            log.warning("summary_photo_failed user_id=%s error=%s", user.id, type(exc).__name__)
    log.info(
        "summary_sent user_id=%s weeks=%s empty=%s chart=%s",
        user.id,
        weeks,
        summary.empty,
        chart is not None,
    )
    return message


async def summary_cmd(update: Update, ctx: Ctx) -> None:
    user = await onboarded_user(update, ctx, "summary.not_onboarded")
    if user is None:
        return
    weeks = parse_weeks(" ".join(ctx.args or []))
    if weeks is None:
        await say(update, ctx, t("summary.bad_weeks"))
        return
    if not await cooled_down(update, ctx, "summary"):
        return
    now = ctx.now()
    sent = await send_summary(ctx, user, now, weeks)
    if sent is not None and weeks == 1:  # the weekly one would say the same within the hour
        await asyncio.to_thread(mark_requested, ctx.db, user, now)


async def send_weekly(ctx: Ctx, user: User, prompt: DuePrompt) -> Message | None:
    """Sender for due prompts of kind "weekly" (claimed by the sweep, sent once)."""
    now = ctx.now()
    if not profile.is_onboarded(user) or profile.is_paused(user, now):
        return None
    return await send_summary(ctx, user, now, skip_if_quiet=True)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("summary", summary_cmd))

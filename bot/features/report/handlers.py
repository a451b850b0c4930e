"""/report: choose a period and what to include, then one PDF document.

Two questions, both buttons (``pdf:p:<2w|4w|3m|dates>``, then ``pdf:i:<period code>:<filter>``;
the period travels in the second question's buttons, so nothing but the conversation state
is stored); "Choose dates" waits for dates typed (``DATES``). The PDF is built in a worker
thread, in memory, and sent as ``steady-report-<date>.pdf``: no free text in its name, nothing
of it logged (ids, sizes and counts only). Crisis language typed at the dates step is answered
by the safety handler first; "Carry on" asks for the dates again (``resume``).
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine import aftercare, flow
from bot.handlers.common import Button, Ctx, onboarded_user, private_chat, say
from bot.handlers.limits import cooled_down
from bot.models import User
from bot.services.profile import local_today
from bot.services.report import document
from bot.services.report.period import FILTERS, PRESETS, Period, decode, filename, parse_dates
from bot.services.report.period import preset as preset_period
from bot.services.summary_text import format_day

log = logging.getLogger(__name__)

NAME = "report"
P = "pdf"
PERIOD, DATES, INCLUDE = "period", "dates", "include"
UPLOAD_TIMEOUT = 120.0

PERIOD_DATA = re.compile(rf"^{P}:p:({'|'.join(PRESETS)}|dates)$")
INCLUDE_DATA = re.compile(rf"^{P}:i:(\d{{8}}-\d{{8}}):({'|'.join(FILTERS)})$")

TEXTS = (
    Family("report.period_{}", (*PRESETS, "dates")),
    Family("report.include_{}", FILTERS),
    Family("report.dates_{}", ("unreadable", "future", "too_long")),
    Family("report.pdf.{}", ("overview", "checkins", "thoughts", "repairs")),
)


def _day(day: object) -> str:
    return f"{format_day(day)} {day.year}"  # type: ignore[arg-type, attr-defined]


def _period_rows() -> list[list[Button]]:
    rows = [[(t(f"report.period_{name}"), f"{P}:p:{name}")] for name in PRESETS]
    return [*rows, [(t("report.period_dates"), f"{P}:p:dates")]]


async def report_cmd(update: Update, ctx: Ctx) -> str | int:
    user = await onboarded_user(update, ctx, "report.not_onboarded")
    if user is None:
        return ConversationHandler.END
    await flow.prompt(update, ctx, NAME, t("report.ask_period"), _period_rows())
    return PERIOD


async def ask_include(update: Update, ctx: Ctx, period: Period) -> str:
    rows = [[(t(f"report.include_{name}"), f"{P}:i:{period.code}:{name}")] for name in FILTERS]
    question = t("report.ask_include", start=_day(period.start), end=_day(period.end))
    await flow.prompt(update, ctx, NAME, question, rows)
    return INCLUDE


async def period_button(update: Update, ctx: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    found = PERIOD_DATA.match(query.data)
    assert found is not None
    choice = found.group(1)
    user = await onboarded_user(update, ctx, "report.not_onboarded")  # (and their language)
    if user is None:
        return ConversationHandler.END
    await flow.settle(update, ctx, NAME, t(f"report.period_{choice}"))
    if choice == "dates":
        await flow.prompt(update, ctx, NAME, t("report.ask_dates"))
        return DATES
    return await ask_include(update, ctx, preset_period(choice, local_today(user, ctx.now())))


async def typed_dates(update: Update, ctx: Ctx) -> str | int:
    user = await onboarded_user(update, ctx, "report.not_onboarded")
    if user is None:
        return ConversationHandler.END
    found = parse_dates(flow.text_of(update), local_today(user, ctx.now()))
    if isinstance(found, str):
        await say(update, ctx, t(f"report.dates_{found}"))
        return DATES
    return await ask_include(update, ctx, found)


async def include_button(update: Update, ctx: Ctx) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    found = INCLUDE_DATA.match(query.data)
    assert found is not None
    period, include = decode(found.group(1)), found.group(2)
    user = await onboarded_user(update, ctx, "report.not_onboarded")  # (and their language)
    if user is None:
        return ConversationHandler.END
    await flow.settle(update, ctx, NAME, t(f"report.include_{include}"))
    if period is None:
        await say(update, ctx, t("report.gone"))
        return ConversationHandler.END
    await send_report(update, ctx, user, period, include)
    return ConversationHandler.END


async def send_report(update: Update, ctx: Ctx, user: User, period: Period, include: str) -> None:
    if not await cooled_down(update, ctx, NAME):
        return
    chat = private_chat(update)  # the report holds everything written: the private chat only
    dates = {"start": _day(period.start), "end": _day(period.end)}
    await say(update, ctx, t("report.building"))
    await ctx.bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    now = ctx.now()
    parts = ctx.rt.records.summary
    try:
        pdf = await asyncio.to_thread(document.build, ctx.db, parts, user, now, period, include)
    except Exception as exc:  # a failed build says so; its text is never logged
        log.warning("report_failed user_id=%s error=%s", user.id, type(exc).__name__)
        await say(update, ctx, t("report.failed"))
        return
    if pdf is None:
        log.info("report_empty user_id=%s days=%s include=%s", user.id, period.days, include)
        await say(update, ctx, t("report.empty", **dates))
        return
    if document.too_large(pdf):
        log.info("report_too_large user_id=%s bytes=%s", user.id, len(pdf))
        await say(update, ctx, t("report.too_large"))
        return
    await ctx.bot.send_document(
        chat,
        document=pdf,
        filename=filename(local_today(user, now)),
        caption=t("report.caption", **dates),
        write_timeout=UPLOAD_TIMEOUT,
    )
    log.info(
        "report_sent user_id=%s days=%s include=%s bytes=%s",
        user.id,
        period.days,
        include,
        len(pdf),
    )


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("report.not_text"))


async def tap_a_button(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("report.tap_a_button"))


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    """After a pause (aftercare.py): the question of the step it stopped at, again."""
    if state == DATES:
        await flow.prompt(update, ctx, NAME, t("report.ask_dates"))
        return DATES
    return await report_cmd(update, ctx)


async def cancel_note(update: Update, ctx: Ctx) -> str | None:
    return t("report.cancel_note")


def build() -> ConversationHandler:  # type: ignore[type-arg]
    press_period = CallbackQueryHandler(period_button, pattern=PERIOD_DATA)
    press_include = CallbackQueryHandler(include_button, pattern=INCLUDE_DATA)
    return flow.conversation(
        NAME,
        [CommandHandler("report", report_cmd)],
        {
            PERIOD: [press_period, *flow.typed_step(tap_a_button, tap_a_button)],
            DATES: [press_period, *flow.typed_step(typed_dates, not_text)],
            INCLUDE: [press_include, press_period, *flow.typed_step(tap_a_button, tap_a_button)],
        },
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    aftercare.register(NAME, resume)

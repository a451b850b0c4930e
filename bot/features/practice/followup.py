"""A planned practice's reminder and follow-up (sent by the due-prompt sweep), and the
follow-up's answers: "Log it" starts logging the practice with its rung and person filled in;
"Not this time" lets the plan go, without a word of blame. Plan ids from callback data are
checked against the pressing user."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from bot.content import t
from bot.engine import flow
from bot.features.practice.log import FLOW, NAME, P
from bot.handlers.common import (
    Ctx,
    callback_id,
    end_conversations,
    keyboard,
    onboarded_user,
    say,
)
from bot.models import DuePrompt, User
from bot.services import practice
from bot.services.practice_text import followup, reminder, rung_name

ID = r"\d{1,18}"


async def send_reminder(ctx: Ctx, user: User, prompt: DuePrompt) -> Message | None:
    """The reminder at the planned time; None when the plan is gone or already logged."""
    plan = practice.open_plan(ctx.db, user.id, prompt.ref_id)
    if plan is None:
        return None
    text = reminder(plan, practice.rung(ctx.db, user.id, plan.rung_id))
    rows = [[(t("practice.not_this_time"), f"{P}:letgo:{plan.id}")]]  # no follow-up then
    return await ctx.bot.send_message(user.id, text, reply_markup=keyboard(rows))


async def send_followup(ctx: Ctx, user: User, prompt: DuePrompt) -> Message | None:
    """Afterwards: how did it go, with "Log it" and "Not this time"."""
    plan = practice.open_plan(ctx.db, user.id, prompt.ref_id)
    if plan is None or plan.id is None:
        return None
    text = followup(plan, practice.rung(ctx.db, user.id, plan.rung_id))
    rows = [
        [(t("practice.log_it"), f"{P}:plan:{plan.id}")],
        [(t("practice.not_this_time"), f"{P}:letgo:{plan.id}")],
    ]
    return await ctx.bot.send_message(user.id, text, reply_markup=keyboard(rows))


async def log_planned(update: Update, ctx: Ctx) -> str | int:
    """ "Log it": the practice's log begins at the distress before (rung and person known).
    The tap says what the user wants now: another open conversation is left (its draft kept),
    so what they type next reaches this one."""
    user = await onboarded_user(update, ctx, "practice.not_onboarded")
    if user is None:
        return flow.ConversationHandler.END
    plan_id = callback_id(update)
    log = None if plan_id is None else practice.log_from_plan(ctx.db, user, plan_id, ctx.now())
    if log is None:
        await flow.settle(update, ctx, NAME, t("practice.plan_gone"))
        return flow.ConversationHandler.END
    await flow.settle(update, ctx, NAME, t("practice.log_it"))
    end_conversations(ctx.application, update, keep=NAME)
    rung = practice.rung(ctx.db, user.id, log.rung_id)
    await say(update, ctx, t("practice.intro_planned", rung=rung_name(rung)))
    return await FLOW.advance(update, ctx, user, log)


async def let_go(update: Update, ctx: Ctx) -> None:
    user = await onboarded_user(update, ctx, "practice.not_onboarded")
    plan_id = callback_id(update)
    if user is None or plan_id is None or not practice.let_go(ctx.db, user.id, plan_id, ctx.now()):
        await flow.settle(update, ctx, NAME, t("practice.plan_gone"))
        return
    await flow.settle(update, ctx, NAME, t("practice.not_this_time"))
    await say(update, ctx, t("practice.let_go"))


def entry() -> CallbackQueryHandler:  # type: ignore[type-arg]
    """ "Log it", an entry point of the practice log's conversation."""
    return CallbackQueryHandler(log_planned, pattern=rf"^{P}:plan:{ID}$")


def let_go_handler() -> CallbackQueryHandler:  # type: ignore[type-arg]
    return CallbackQueryHandler(let_go, pattern=rf"^{P}:letgo:{ID}$")

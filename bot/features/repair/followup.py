"""The repair follow-up: booking it after /repair, the due prompt's sender, and the answers.

"Did the repair happen? How did it go?" — It happened / Not yet / It didn't go well, then
"what did you learn?" (skippable). The outcome and note are stored on the repair plan. Every
plan id from callback data is checked against the pressing user.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
)

from bot.content import t
from bot.content.keys import Family
from bot.engine import aftercare, flow
from bot.features.noticed.handlers import offer_rows as noticed_offer
from bot.handlers.common import (
    Ctx,
    callback_id,
    current_user,
    keyboard,
    open_conversations,
    say,
)
from bot.models import DuePrompt, RepairPlan, User
from bot.services import repairs
from bot.services.parse import moments as when

NAME = "repair_followup"
P = "rpf"
NOTE = "note"
ID = r"\d{1,18}"

#: The outcome buttons, and the question after an outcome that happened (well or badly).
OUTCOMES = Family("repair.outcome_{}", repairs.OUTCOMES)
LEARNED = Family("repair.ask_learned_{}", tuple(o for o in repairs.OUTCOMES if o != "not_yet"))


def _ref(update: Update) -> tuple[str, int | None]:
    """(action, plan id) from ``rpf:<action>[:<outcome>]:<id>`` callback data (the id None
    when no plan could have it: forged data)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.split(":")[-2], callback_id(update)


# --- booking, right after the script --------------------------------------------------------


async def offer_answer(update: Update, ctx: Ctx) -> None:
    action, plan_id = _ref(update)
    user = current_user(update, ctx)
    now = ctx.now()
    if plan_id is None:
        await flow.settle(update, ctx, NAME, t("repair.followup_gone"))
        return
    if action == "yes":
        due = repairs.book_followup(ctx.db, user.id, plan_id, now)
        if due is None:
            await flow.settle(update, ctx, NAME, t("repair.followup_gone"))
            return
        await flow.settle(update, ctx, NAME, t("repair.offer_yes"))
        await say(
            update, ctx, t("repair.followup_booked", when=when.describe(due, repairs.zone(user)))
        )
        return
    if not repairs.decline_followup(ctx.db, user.id, plan_id, now):
        await flow.settle(update, ctx, NAME, t("repair.followup_gone"))
        return
    await flow.settle(update, ctx, NAME, t("repair.offer_no"))
    await say(update, ctx, t("repair.followup_declined"))


# --- the sender the sweep calls -------------------------------------------------------------


def outcome_rows(plan_id: int) -> list[list[tuple[str, str]]]:
    return [
        [(t(f"repair.outcome_{outcome}"), f"{P}:o:{outcome}:{plan_id}")]
        for outcome in repairs.OUTCOMES
    ]


async def send_followup(ctx: Ctx, user: User, prompt: DuePrompt) -> Message | None:
    """Ask how the repair went; None when the plan is gone or already answered."""
    plan = repairs.followup_plan(ctx.db, user.id, prompt.ref_id)
    if plan is None or plan.id is None:
        return None
    text = t("repair.followup_question", with_whom=repairs.with_whom(plan.person))
    return await ctx.bot.send_message(user.id, text, reply_markup=keyboard(outcome_rows(plan.id)))


# --- the answers ----------------------------------------------------------------------------


async def outcome(update: Update, ctx: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    chosen, plan_id = _ref(update)
    user = current_user(update, ctx)
    plan = None
    if plan_id is not None:
        plan = repairs.record_outcome(ctx.db, user.id, plan_id, chosen, ctx.now())
    if plan is None:
        await flow.settle(update, ctx, NAME, t("repair.followup_gone"))
        return ConversationHandler.END
    await flow.settle(update, ctx, NAME, t(f"repair.outcome_{chosen}"))
    if chosen == "not_yet":
        await say(
            update,
            ctx,
            t("repair.not_yet_reply"),
            [
                [(t("repair.again_yes"), f"{P}:again:{plan_id}")],
                [(t("repair.again_no"), f"{P}:noagain:{plan_id}")],
            ],
        )
        return ConversationHandler.END
    if [n for n in open_conversations(ctx.application, update) if n != NAME]:
        await say(update, ctx, t("repair.outcome_saved_busy"))
        return ConversationHandler.END
    return await ask_note(update, ctx, chosen, plan_id)


async def ask_note(update: Update, ctx: Ctx, outcome_id: str, ref: object) -> str:
    await flow.prompt(
        update,
        ctx,
        NAME,
        t(f"repair.ask_learned_{outcome_id}"),
        [[(t("repair.skip"), f"{P}:skipnote:{ref}")]],
    )
    return NOTE


async def note(update: Update, ctx: Ctx) -> int:
    text = flow.text_of(update)
    user = current_user(update, ctx)
    plan = repairs.last_answered(ctx.db, user.id)
    await flow.clear_prompt(update, ctx, NAME)
    if plan is not None and plan.id is not None:
        repairs.record_note(ctx.db, user.id, plan.id, text, ctx.now())
    await say(update, ctx, t("repair.learned_saved"))
    await offer_noticed(update, ctx, plan)
    return ConversationHandler.END


async def offer_noticed(update: Update, ctx: Ctx, plan: RepairPlan | None) -> None:
    """A repair that went well is a corrective experience: offer to keep it (/noticed)."""
    if plan is not None and plan.followup_outcome == "happened":
        await say(update, ctx, t("noticed.offer_after_repair"), noticed_offer())


async def keep_note(update: Update, ctx: Ctx, state: str, text: str) -> str | None:
    """After a care message (aftercare.py): the note kept as it was typed."""
    plan = repairs.last_answered(ctx.db, current_user(update, ctx).id)
    if state != NOTE or plan is None or plan.id is None:
        return None
    await flow.clear_prompt(update, ctx, NAME)
    repairs.record_note(ctx.db, plan.user_id, plan.id, text, ctx.now())
    return aftercare.FINISH


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    plan = repairs.last_answered(ctx.db, current_user(update, ctx).id)
    if (
        state == aftercare.FINISH
        or plan is None
        or plan.followup_outcome not in ("happened", "badly")
    ):
        await say(update, ctx, t("repair.learned_saved"))
        return ConversationHandler.END
    return await ask_note(update, ctx, str(outcome), plan.id)


async def skip_note(update: Update, ctx: Ctx) -> int:
    await flow.settle(update, ctx, NAME, t("repair.skip"))
    await say(update, ctx, t("repair.learned_skipped"))
    await offer_noticed(update, ctx, repairs.last_answered(ctx.db, current_user(update, ctx).id))
    return ConversationHandler.END


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("repair.not_text"))


async def again_answer(update: Update, ctx: Ctx) -> None:
    action, plan_id = _ref(update)
    user = current_user(update, ctx)
    if action == "noagain":
        await flow.settle(update, ctx, NAME, t("repair.again_no"))
        await say(update, ctx, t("repair.again_declined"))
        return
    due = None if plan_id is None else repairs.ask_again(ctx.db, user, plan_id, ctx.now())
    if due is None:
        await flow.settle(update, ctx, NAME, t("repair.followup_gone"))
        return
    await flow.settle(update, ctx, NAME, t("repair.again_yes"))
    await say(update, ctx, t("repair.again_booked", when=when.describe(due, repairs.zone(user))))


def build() -> ConversationHandler:  # type: ignore[type-arg]
    skip = CallbackQueryHandler(skip_note, pattern=rf"^{P}:skipnote:{ID}$")
    return flow.conversation(
        NAME,
        [CallbackQueryHandler(outcome, pattern=rf"^{P}:o:(happened|not_yet|badly):{ID}$")],
        {NOTE: flow.typed_step(note, not_text, skip)},
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(offer_answer, pattern=rf"^{P}:(yes|no):{ID}$"))
    app.add_handler(CallbackQueryHandler(again_answer, pattern=rf"^{P}:(again|noagain):{ID}$"))
    aftercare.register(NAME, resume, keep_note)

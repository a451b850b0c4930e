"""/repair: plan a repair after a conflict, step by step, ending in a script in your own words.

Who → what happened → the impact on them → my part → what I feel and need → one concrete step
→ the question that invites their side → when. Blaming forms in the feel/need answer and the
question are pointed out kindly with the "I" form offered. Every answer is saved as it arrives;
/cancel keeps the draft, and /repair offers to continue it or start fresh.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.content import t
from bot.handlers import flow, general, repair_followup
from bot.handlers.common import Ctx, answer, current_user, say
from bot.handlers.repair_ask import NAME, P, advance, ask, finish, gone
from bot.models import RepairPlan, User
from bot.services import people, profile, repairs, when

COMMANDS = [("repair", "Plan a repair after a conflict")]
SWITCH, RESUME = "switch", "resume"

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, str | int | None]]


async def start_cmd(update: Update, ctx: Ctx) -> str | int:
    user = current_user(update, ctx)
    if not profile.is_onboarded(user):
        await say(update, ctx, t("repair.not_onboarded"))
        return ConversationHandler.END
    if await flow.ask_switch(update, ctx, NAME, P):
        return SWITCH
    return await begin(update, ctx, user)


async def begin(update: Update, ctx: Ctx, user: User) -> str | int:
    draft = repairs.current(ctx.db, user.id)
    if draft is not None and draft.id is not None and repairs.has_answers(draft):
        day = draft.local_date
        await flow.prompt(
            update,
            ctx,
            NAME,
            t(
                "repair.resume_question",
                date=f"{day:%a} {day.day} {day:%b}",
                answered=repairs.answered(draft),
                total=len(repairs.STEPS),
            ),
            [
                [(t("repair.resume_continue"), f"{P}:resume:{draft.id}")],
                [(t("repair.resume_fresh"), f"{P}:fresh:{draft.id}")],
            ],
        )
        return RESUME
    plan = repairs.start(ctx.db, user, ctx.now())
    await say(update, ctx, t("repair.intro"))
    return await ask(update, ctx, repairs.STEPS[0], plan)


async def switch(update: Update, ctx: Ctx) -> str | int:
    await flow.switch(update, ctx, NAME)
    return await begin(update, ctx, current_user(update, ctx))


async def stay(update: Update, ctx: Ctx) -> int:
    await flow.stay(update, ctx, NAME)
    return ConversationHandler.END


async def resume(update: Update, ctx: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, ref = query.data.split(":")
    user = current_user(update, ctx)
    plan = repairs.current(ctx.db, user.id)
    if plan is None:  # finished or put aside meanwhile
        await flow.settle(update, ctx, NAME, t("repair.resume_gone"))
        plan = repairs.start(ctx.db, user, ctx.now())
        return await ask(update, ctx, repairs.STEPS[0], plan)
    if str(plan.id) != ref:  # an older question, or forged data: ask about the open draft
        await answer(update)
        return await begin(update, ctx, user)
    if action == "fresh":
        await flow.settle(update, ctx, NAME, t("repair.resume_fresh"))
        plan = repairs.start_fresh(ctx.db, user, ctx.now())
        await say(update, ctx, t("repair.fresh_started"))
        return await ask(update, ctx, repairs.STEPS[0], plan)
    await flow.settle(update, ctx, NAME, t("repair.resume_continue"))
    return await advance(update, ctx, user, plan)


def _draft(update: Update, ctx: Ctx) -> tuple[User, RepairPlan | None]:
    user = current_user(update, ctx)
    return user, repairs.current(ctx.db, user.id)


def skip(step: str) -> Callback:
    async def handler(update: Update, ctx: Ctx) -> str | int:
        user, plan = _draft(update, ctx)
        if plan is None or plan.id is None:
            await answer(update)
            return await gone(update, ctx)
        await flow.settle(update, ctx, NAME, t("repair.skip"))
        if step == "when":
            return await finish(update, ctx, user, plan, None)
        saved = repairs.save(ctx.db, user.id, plan.id, step, ctx.now())
        return await advance(update, ctx, user, saved)

    return handler


def typed(step: str) -> Callback:
    """A typed answer, kept verbatim; the coached steps get a look for blaming forms."""

    async def handler(update: Update, ctx: Ctx) -> str | int | None:
        text = flow.text_of(update)
        user, plan = _draft(update, ctx)
        if plan is None or plan.id is None:
            return await gone(update, ctx)
        if step == "when":
            return await typed_when(update, ctx, user, plan, text)
        now = ctx.now()
        if step in repairs.COACHED:
            saved = repairs.save(ctx.db, user.id, plan.id, step, now, text, advance=False)
            note = repairs.coach_note(saved or plan, text)
            if note is not None:
                rows = [[(t("repair.coach_keep"), f"{P}:keep:{step}")]]
                await flow.prompt(update, ctx, NAME, note + "\n\n" + t("repair.coach_retype"), rows)
                return None
        await flow.clear_prompt(update, ctx, NAME)
        saved = repairs.save(ctx.db, user.id, plan.id, step, now, text)
        return await advance(update, ctx, user, saved)

    return handler


async def typed_when(
    update: Update, ctx: Ctx, user: User, plan: RepairPlan, text: str
) -> str | int | None:
    try:
        planned = when.parse_when(text, repairs.zone(user), ctx.now())
    except when.WhenError as err:
        key = {"past": "repair.past_when", "far": "repair.far_when"}.get(err.key)
        shown = " ".join(text.split())[:40]
        await say(update, ctx, t(key) if key else t("repair.bad_when", text=shown))
        return None
    assert plan.id is not None
    await flow.clear_prompt(update, ctx, NAME)
    repairs.save(ctx.db, user.id, plan.id, "when", ctx.now(), text)
    return await finish(update, ctx, user, plan, planned)


async def keep_mine(update: Update, ctx: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    step = query.data.rsplit(":", 1)[-1]
    user, plan = _draft(update, ctx)
    if plan is None or plan.id is None:
        await answer(update)
        return await gone(update, ctx)
    await flow.settle(update, ctx, NAME, t("repair.coach_keep"))
    saved = repairs.save(ctx.db, user.id, plan.id, step, ctx.now())
    return await advance(update, ctx, user, saved)


async def pick_person(update: Update, ctx: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    user, plan = _draft(update, ctx)
    if plan is None or plan.id is None:
        await answer(update)
        return await gone(update, ctx)
    label = people.resolve(ctx.db, user.id, query.data.rsplit(":", 1)[-1])
    if label is None:
        await answer(update)
        return None
    await flow.settle(update, ctx, NAME, label)
    saved = repairs.save(ctx.db, user.id, plan.id, "person", ctx.now(), label)
    return await advance(update, ctx, user, saved)


async def pick_when(update: Update, ctx: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    preset = query.data.rsplit(":", 1)[-1]
    user, plan = _draft(update, ctx)
    if plan is None or plan.id is None:
        await answer(update)
        return await gone(update, ctx)
    label = t(f"repair.when_{preset}")
    planned = when.preset_time(preset, repairs.zone(user), ctx.now())
    await flow.settle(update, ctx, NAME, label)
    repairs.save(ctx.db, user.id, plan.id, "when", ctx.now(), label)
    return await finish(update, ctx, user, plan, planned)


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("repair.not_text"))


async def tap_a_button(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("repair.tap_a_button"))


async def cancel_note(update: Update, ctx: Ctx) -> str | None:
    user = update.effective_user
    if user is None:
        return None
    draft = repairs.current(ctx.db, user.id)
    return t("repair.cancel_note") if draft is not None and repairs.has_answers(draft) else None


def build() -> ConversationHandler:  # type: ignore[type-arg]
    extra: dict[str, list[BaseHandler]] = {  # type: ignore[type-arg]
        "person": [CallbackQueryHandler(pick_person, pattern=rf"^{P}:who:[vtr]\.[a-z0-9_]+$")],
        "when": [CallbackQueryHandler(pick_when, pattern=rf"^{P}:when:(tonight|tomorrow|days)$")],
        **{
            step: [CallbackQueryHandler(keep_mine, pattern=rf"^{P}:keep:{step}$")]
            for step in repairs.COACHED
        },
    }
    states: dict[object, list[BaseHandler]] = {}  # type: ignore[type-arg]
    for step in repairs.STEPS:
        states[step] = [
            CallbackQueryHandler(skip(step), pattern=rf"^{P}:skip:{step}$"),
            *extra.get(step, []),
            MessageHandler(flow.TEXT, typed(step)),
            MessageHandler(flow.OTHER, not_text),
        ]
    states[SWITCH] = [
        CallbackQueryHandler(switch, pattern=rf"^{P}:switch$"),
        CallbackQueryHandler(stay, pattern=rf"^{P}:stay$"),
        MessageHandler(flow.TEXT | flow.OTHER, tap_a_button),
    ]
    states[RESUME] = [
        CallbackQueryHandler(resume, pattern=rf"^{P}:(resume|fresh):\d{{1,18}}$"),
        MessageHandler(flow.TEXT | flow.OTHER, tap_a_button),
    ]
    return ConversationHandler(
        entry_points=[CommandHandler("repair", start_cmd)],
        states=states,
        fallbacks=[],
        name=NAME,
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    general.on_cancel(NAME, cancel_note)
    repair_followup.register(app)

"""/repair: plan a repair after a conflict, step by step, ending in a script in your own words.

Who → what happened → the impact on them → my part → what I feel and need → one concrete step
→ the question that invites their side → when. Blaming forms in the feel/need answer and the
question are pointed out kindly with the "I" form offered. Every answer is saved as it arrives;
/cancel keeps the draft, and /repair offers to continue it or start fresh.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.content import t
from bot.engine import flow
from bot.engine.draft_flow import END
from bot.features.repair import followup as repair_followup
from bot.features.repair.ask import FLOW, NAME, P, advance, finish
from bot.handlers.common import Ctx, answer, say
from bot.models import RepairPlan, User
from bot.services import people, repairs
from bot.services.parse import moments as when


async def skip(
    update: Update, ctx: Ctx, step: str, user: User, plan: RepairPlan, plan_id: int
) -> str | int:
    await flow.settle(update, ctx, NAME, t("repair.skip"))
    if step == "when":
        return await finish(update, ctx, user, plan, None)
    saved = repairs.save(ctx.db, user.id, plan_id, step, ctx.now())
    return await advance(update, ctx, user, saved)


async def typed(
    update: Update, ctx: Ctx, step: str, user: User, plan: RepairPlan, plan_id: int
) -> str | int | None:
    """A typed answer, kept verbatim; the coached steps get a look for blaming forms."""
    text = flow.text_of(update)
    if step == "when":
        return await typed_when(update, ctx, user, plan, text)
    now = ctx.now()
    if step in repairs.COACHED:
        saved = repairs.save(ctx.db, user.id, plan_id, step, now, text, advance=False)
        note = repairs.coach_note(saved or plan, text)
        if note is not None:
            rows = [[(t("repair.coach_keep"), f"{P}:keep:{step}")]]
            await flow.prompt(update, ctx, NAME, note + "\n\n" + t("repair.coach_retype"), rows)
            return None
    await flow.clear_prompt(update, ctx, NAME)
    saved = repairs.save(ctx.db, user.id, plan_id, step, now, text)
    return await advance(update, ctx, user, saved)


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
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    user, _, plan_id = found
    await flow.settle(update, ctx, NAME, t("repair.coach_keep"))
    saved = repairs.save(ctx.db, user.id, plan_id, step, ctx.now())
    return await advance(update, ctx, user, saved)


async def pick_person(update: Update, ctx: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    user, _, plan_id = found
    label = people.resolve(ctx.db, user.id, query.data.rsplit(":", 1)[-1])
    if label is None:
        await answer(update)
        return None
    await flow.settle(update, ctx, NAME, label)
    saved = repairs.save(ctx.db, user.id, plan_id, "person", ctx.now(), label)
    return await advance(update, ctx, user, saved)


async def pick_when(update: Update, ctx: Ctx) -> str | int | None:
    query = update.callback_query
    assert query is not None and query.data is not None
    preset = query.data.rsplit(":", 1)[-1]
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    user, plan, plan_id = found
    label = t(f"repair.when_{preset}")
    planned = when.preset_time(preset, repairs.zone(user), ctx.now())
    await flow.settle(update, ctx, NAME, label)
    repairs.save(ctx.db, user.id, plan_id, "when", ctx.now(), label)
    return await finish(update, ctx, user, plan, planned)


def build() -> ConversationHandler:  # type: ignore[type-arg]
    buttons: dict[str, list[flow.Handler]] = {
        "person": [CallbackQueryHandler(pick_person, pattern=rf"^{P}:who:[vtr]\.[a-z0-9_]+$")],
        "when": [CallbackQueryHandler(pick_when, pattern=rf"^{P}:when:(tonight|tomorrow|days)$")],
        **{
            step: [CallbackQueryHandler(keep_mine, pattern=rf"^{P}:keep:{step}$")]
            for step in repairs.COACHED
        },
    }
    return FLOW.conversation([CommandHandler("repair", FLOW.start_cmd)], skip, typed, buttons)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    repair_followup.register(app)

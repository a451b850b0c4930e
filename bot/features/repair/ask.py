"""/repair: asking each step's question, moving on, and the finished script with its offer."""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine import flow, pickers
from bot.engine.draft_flow import DraftFlow
from bot.handlers.common import Button, Ctx, say
from bot.models import RepairPlan, User
from bot.services import people, repairs
from bot.services.parse import moments as when
from bot.services.textsplit import split_text

NAME = "repair"
P = "rp"  # callback prefix; the follow-up uses "rpf"
FOLLOWUP_P = "rpf"

#: The question of each step, and the "when" buttons.
QUESTIONS = Family("repair.ask_{}", repairs.STEPS)
WHEN = Family("repair.when_{}", when.PRESETS)


def skip_button(step: str) -> Button:
    return (t("repair.skip"), f"{P}:skip:{step}")


def when_rows() -> list[list[Button]]:
    presets = [(t(f"repair.when_{p}"), f"{P}:when:{p}") for p in when.PRESETS]
    return [presets, [skip_button("when")]]


async def ask(update: Update, ctx: Ctx, step: str, plan: RepairPlan) -> str:
    """Send the question of ``step``; returns the conversation state (the step's name)."""
    rows: list[list[Button]] = [[skip_button(step)]]
    if step == "person":
        choices = [(c.key, c.label) for c in people.choices(ctx.db, plan.user_id)]
        rows = [*pickers.choice_rows(P, "who", choices, per_row=3), [skip_button(step)]]
    elif step == "when":
        rows = when_rows()
    await flow.prompt(update, ctx, NAME, t(f"repair.ask_{step}"), rows)
    return step


async def advance(update: Update, ctx: Ctx, user: User, plan: RepairPlan | None) -> str | int:
    """Ask the next unanswered step (the last one, "when", finishes through ``finish``)."""
    if plan is None or plan.id is None:
        return await gone(update, ctx)
    step = repairs.next_step(plan.step)
    if step is None:
        return await finish(update, ctx, user, plan, None)
    return await ask(update, ctx, step, plan)


async def finish(
    update: Update, ctx: Ctx, user: User, plan: RepairPlan, planned: datetime | None
) -> int:
    """Complete the plan, send the script in the user's words, and offer the follow-up."""
    assert plan.id is not None
    await flow.clear_prompt(update, ctx, NAME)
    now = ctx.now()
    done = repairs.complete(ctx.db, user, plan.id, planned, now) or plan
    for part in split_text(repairs.script(done)):
        await say(update, ctx, part)
    if done.followup_at is not None:
        key = "repair.offer_followup" if planned else "repair.offer_followup_unplanned"
        await say(
            update,
            ctx,
            t(key, when=when.describe(done.followup_at, repairs.zone(user))),
            [
                [(t("repair.offer_yes"), f"{FOLLOWUP_P}:yes:{plan.id}")],
                [(t("repair.offer_no"), f"{FOLLOWUP_P}:no:{plan.id}")],
            ],
        )
    return ConversationHandler.END


async def gone(update: Update, ctx: Ctx) -> int:
    """The draft this conversation was filling is no longer open (finished, deleted)."""
    return await flow.gone(update, ctx, NAME)


def keep_answer(ctx: Ctx, plan: RepairPlan, plan_id: int, step: str, text: str) -> None:
    """A free-text answer kept as it was typed (no coaching: it came with crisis language)."""
    repairs.save(ctx.db, plan.user_id, plan_id, step, ctx.now(), text)


#: Typed answers kept as free text after a care message (who and when are not: a label, a time).
TEXT_STEPS = frozenset(repairs.STEPS) - {"person", "when"}
FLOW = DraftFlow(NAME, P, repairs, ask, advance, TEXT_STEPS, keep_answer)

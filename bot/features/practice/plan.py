"""Planning a practice ("Plan a practice") on the step engine: the rung (the suggested one
first), with whom, when. The finished plan books a reminder at its time and a follow-up
afterwards through the due-prompt sweep (followup.py sends them)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content.keys import Family
from bot.engine.choices import person
from bot.engine.guided import Guided
from bot.engine.steps import Moment, Picked, Step, Time
from bot.features.practice import rungs
from bot.handlers.common import Ctx, say
from bot.models import PracticePlan, User
from bot.services import practice
from bot.services.parse import moments
from bot.services.people import clean_label
from bot.services.practice_text import booked
from bot.services.profile import zone_for_safe

NAME = "practice_plan"
P = "prp"  # callback prefix


def save(ctx: Ctx, plan: PracticePlan, step: str, value: object) -> PracticePlan | None:
    assert plan.id is not None
    if step == "rung":
        return practice.PLAN.save(
            ctx.db, plan.user_id, plan.id, step, ctx.now(), rungs.rung_id(value)
        )
    if isinstance(value, Moment):
        return practice.plan_when(ctx.db, plan.user_id, plan.id, ctx.now(), value.label, value.at)
    if isinstance(value, Picked):
        value = clean_label(value.label) or None
    return practice.PLAN.save(ctx.db, plan.user_id, plan.id, step, ctx.now(), value)


async def finish(update: Update, ctx: Ctx, user: User, plan: PracticePlan, last: object) -> int:
    assert plan.id is not None
    done = practice.book(ctx.db, user, plan.id, ctx.now()) or plan
    rung = practice.rung(ctx.db, user.id, done.rung_id)
    await say(update, ctx, booked(done, rung, zone_for_safe(user.timezone)))
    return ConversationHandler.END


STEPS = (
    Step("rung", rungs.choice(), note=rungs.suggestion),
    Step("person", person()),
    Step("when", Time()),
)

#: The question of each step, the "when" buttons, and what the "when" step says.
QUESTIONS = Family("practice_plan.ask_{}", tuple(step.name for step in STEPS))
WHEN = Family("practice_plan.when_{}", moments.PRESETS)
REPLIES = (
    Family("practice_plan.{}_when", ("past", "far")),
    Family("practice_plan.bad_{}", ("when",)),
)

FLOW: Guided[PracticePlan] = Guided(NAME, P, practice.PLAN, STEPS, save, finish)

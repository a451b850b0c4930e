"""/repair's steps, declared for the step engine (bot/engine/guided.py), and its ending.

Who → what happened → the impact on them → my part → what I feel and need → one concrete step
→ the question that invites their side → when. Blaming forms in the feel/need answer and the
question are pointed out kindly (the coach's second look) with the "I" form offered; typed
answers are kept verbatim. The last step completes the plan: the script in the user's own
words, and the offer of a follow-up.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine.choices import person
from bot.engine.guided import Guided
from bot.engine.steps import Moment, Picked, Step, Text, Time
from bot.handlers.common import Ctx, say
from bot.models import RepairPlan, User
from bot.services import noticed, repairs
from bot.services.parse import moments as when
from bot.services.textsplit import split_text

NAME = "repair"
P = "rp"  # callback prefix; the follow-up uses "rpf"
FOLLOWUP_P = "rpf"


def save(ctx: Ctx, plan: RepairPlan, step: str, value: object) -> RepairPlan | None:
    """Store a step's answer (None: skipped) as the user gave it (a choice: its label)."""
    text = value.label if isinstance(value, (Picked, Moment)) else value
    assert plan.id is not None and (text is None or isinstance(text, str))
    return repairs.save(ctx.db, plan.user_id, plan.id, step, ctx.now(), text)


def evidence(ctx: Ctx, plan: RepairPlan) -> str | None:
    """Where the user imagines the impact on them: their own moments noticed with the person
    (else with anyone), dated and in their words."""
    found = noticed.evidence(ctx.db, plan.user_id, plan.person)
    return noticed.evidence_text(found, plan.person)


def coach(ctx: Ctx, plan: RepairPlan, step: str, text: str) -> str | None:
    """The coach's second look: the answer is kept (the step stays open) and a note returned
    when it has a blaming form."""
    assert plan.id is not None
    saved = repairs.save(ctx.db, plan.user_id, plan.id, step, ctx.now(), text, advance=False)
    return repairs.coach_note(saved or plan, text)


async def finish(update: Update, ctx: Ctx, user: User, plan: RepairPlan, last: object) -> int:
    """Complete the plan, send the script in the user's words, and offer the follow-up."""
    assert plan.id is not None
    planned = last.at if isinstance(last, Moment) else None
    done = repairs.complete(ctx.db, user, plan.id, planned, ctx.now()) or plan
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


STEPS = (
    Step("person", person()),
    Step("what_happened", Text()),
    Step("impact", Text(), note=evidence),
    Step("my_part", Text()),
    Step("feel_need", Text(review=coach)),
    Step("next_step", Text()),
    Step("question", Text(review=coach)),
    Step("when", Time()),
)


#: The question of each step, and the "when" buttons.
QUESTIONS = Family("repair.ask_{}", tuple(step.name for step in STEPS))
WHEN = Family("repair.when_{}", when.PRESETS)
#: What the "when" step and the coach's review say (engine/steps.py builds these keys).
REPLIES = (
    Family("repair.{}_when", ("past", "far")),
    Family("repair.bad_{}", ("when",)),  # takes the typed text
    Family("repair.coach_{}", ("keep", "retype")),
)

FLOW: Guided[RepairPlan] = Guided(NAME, P, repairs, STEPS, save, finish)

"""The evening check-in's steps, declared for the step engine (bot/engine/inplace.py):
interactions (+ a note), triggers, repair, this morning's commitment, a lesson; its ending."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.engine.choices import Choice, Options, Resolve, vocabulary
from bot.engine.guided import Found
from bot.engine.steps import Picked, Step, Text
from bot.features.noticed.handlers import offer_rows as noticed_offer
from bot.features.trigger.handlers import offer_rows
from bot.handlers.common import Ctx, say
from bot.models import CheckIn, User
from bot.services import checkins

# Conversation states (persisted as these strings; ``checkins.step`` holds them too).
E_INTERACTIONS, E_NOTE, E_TRIGGERED = "e_interactions", "e_note", "e_triggered"
E_REPAIR, E_KEPT, E_LESSON = "e_repair", "e_kept", "e_lesson"


def _fixed(listed: Options) -> tuple[Options, Resolve]:
    """A choice among the bot's own options: their labels, and a key's label (None if it is
    not one of them: forged or retired)."""

    def resolve(ctx: Ctx, row: object, key: str) -> str | None:
        return dict(listed(ctx, row)).get(key)

    return listed, resolve


YES_NO = _fixed(lambda ctx, row: [("yes", t("common.yes")), ("no", t("common.no"))])
REPAIRS = _fixed(
    lambda ctx, row: [
        ("none", t("checkin.repair_none")),
        ("attempted", t("checkin.repair_attempted")),
        ("succeeded", t("checkin.repair_succeeded")),
    ]
)
KEPT = _fixed(
    lambda ctx, row: [
        ("yes", t("checkin.kept_yes")),
        ("partly", t("checkin.kept_partly")),
        ("no", t("checkin.kept_no")),
        ("none", t("checkin.kept_none")),
    ]
)

STEPS = (
    Step(
        E_INTERACTIONS,
        Choice("ia", *vocabulary("interactions"), typed_ok=False),
        question="checkin.ask_interactions",
    ),
    Step(E_NOTE, Text(), question="checkin.ask_interactions_note"),
    Step(
        E_TRIGGERED,
        Choice("trg", *YES_NO, pattern="(yes|no)", typed_ok=False),
        question="checkin.ask_triggered",
    ),
    Step(
        E_REPAIR,
        Choice("rep", *REPAIRS, pattern="[a-z]+", typed_ok=False),
        question="checkin.ask_repair",
    ),
    Step(
        E_KEPT,
        Choice("kept", *KEPT, pattern="[a-z]+", per_row=3, typed_ok=False),
        skippable=False,
    ),
    Step(E_LESSON, Text(), question="checkin.ask_lesson"),
)

#: What each answer is stored as, and the step after it.
_COLUMNS = {
    E_INTERACTIONS: ("interactions", E_NOTE),
    E_NOTE: ("interactions_note", E_TRIGGERED),
    E_TRIGGERED: ("triggered", E_REPAIR),
    E_REPAIR: ("repair", E_KEPT),
}


def kept_question(ctx: Ctx, found: Found) -> str:
    """Did this morning's commitment hold? (named, when there was one)."""
    commitment = checkins.todays_commitment(ctx.db, found.user, found.row)
    label = checkins.commitment_label(commitment) if commitment is not None else ""
    if label:
        return t("checkin.ask_commitment_kept", commitment=label)
    return t("checkin.ask_commitment_kept_unknown")


def lead(step: str, value: object) -> str | None:
    """A trigger noticed: the log is promised above the next question (offered in finish)."""
    if step == E_TRIGGERED and isinstance(value, Picked) and value.key == "yes":
        return t("checkin.triggered_offer")
    return None


def save(ctx: Ctx, found: Found, step: str, value: object) -> str | None:
    """Store an evening answer (None: skipped) with the step it now waits for; returns that
    step (None: the lesson, the last). Skipping the interactions skips their note."""
    db, user, checkin, now = ctx.db, found.user, found.row, ctx.now()
    answer = value.key if isinstance(value, Picked) else value
    if step == E_LESSON:
        if answer is not None:
            checkins.save(db, user, checkin, now, lesson=answer)
        return None
    if step == E_KEPT:
        if answer is not None:
            checkins.answer_kept(db, user, checkin, str(answer), now)
        checkins.wait_for(db, user.id, E_LESSON, now)
        return E_LESSON
    column, after = _COLUMNS[step]
    if answer is None:
        after = E_TRIGGERED if step == E_INTERACTIONS else after
        checkins.wait_for(db, user.id, after, now)
    else:
        checkins.save(db, user, checkin, now, after, **{column: answer})
    return after


async def finish(update: Update, ctx: Ctx, user: User, checkin: CheckIn) -> int:
    """The end of the evening check-in: its acknowledgement, then what it leads to."""
    await say(update, ctx, checkins.finish(ctx.db, user, checkin, ctx.now()))
    if checkin.triggered == "yes":  # promised at the "triggering" step: now the log is offered
        await say(update, ctx, t("checkin.log_trigger_offer"), offer_rows())
    if checkin.interactions == "warm":  # a warm day may hold a corrective moment: offer /noticed
        await say(update, ctx, t("noticed.offer_after_evening"), noticed_offer())
    return ConversationHandler.END

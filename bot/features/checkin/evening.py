"""Evening check-in steps: interactions (+ note), triggers, repair, the commitment, a lesson."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.content import t
from bot.features.checkin.common import (
    E_INTERACTIONS,
    E_KEPT,
    E_LESSON,
    E_NOTE,
    E_REPAIR,
    E_TRIGGERED,
    END,
    Found,
    Question,
    ask,
    draft,
    mark_answer,
    pressed,
    saving,
    skip_pattern,
    skip_row,
    typed_step,
)
from bot.features.noticed.handlers import offer_rows as noticed_offer
from bot.features.trigger.handlers import offer_rows
from bot.handlers.common import Ctx, chunk, say
from bot.models import CheckIn, User
from bot.services import checkins, vocab
from bot.services.due import EVENING


async def ask_interactions(update: Update, ctx: Ctx) -> str:
    question, rows = interactions_question()
    await say(update, ctx, f"{t('checkin.evening_intro')}\n\n{question}", rows)
    return E_INTERACTIONS


async def interactions(update: Update, ctx: Ctx) -> str | int:
    found = await pressed(update, ctx, EVENING, "ci:ia:")
    if found is None:
        return END
    user, checkin, choice = found
    if choice.startswith("ci:skip"):
        return await ask_triggered(update, ctx)
    try:
        vocab.option("interactions", choice)
    except KeyError:
        return await ask_triggered(update, ctx)
    checkins.save(ctx.db, user, checkin, ctx.now(), E_NOTE, interactions=choice)
    return await ask(update, ctx, E_NOTE, *note_question(), recorded=True)


def interactions_question() -> Question:
    buttons = [(o.label, f"ci:ia:{o.id}") for o in vocab.options("interactions")]
    return t("checkin.ask_interactions"), [*chunk(buttons, 2), skip_row(E_INTERACTIONS)]


def note_question() -> Question:
    return t("checkin.ask_interactions_note"), [skip_row(E_NOTE)]


def triggered_question() -> Question:
    rows = [[(t("common.yes"), "ci:trg:yes"), (t("common.no"), "ci:trg:no")], skip_row(E_TRIGGERED)]
    return t("checkin.ask_triggered"), rows


def repair_question() -> Question:
    rows = [
        [
            (t("checkin.repair_none"), "ci:rep:none"),
            (t("checkin.repair_attempted"), "ci:rep:attempted"),
        ],
        [(t("checkin.repair_succeeded"), "ci:rep:succeeded")],
        skip_row(E_REPAIR),
    ]
    return t("checkin.ask_repair"), rows


def kept_question(ctx: Ctx, user: User, checkin: CheckIn) -> Question:
    commitment = checkins.todays_commitment(ctx.db, user, checkin)
    label = checkins.commitment_label(commitment) if commitment is not None else ""
    question = (
        t("checkin.ask_commitment_kept", commitment=label)
        if label
        else t("checkin.ask_commitment_kept_unknown")
    )
    rows = [
        [
            (t("checkin.kept_yes"), "ci:kept:yes"),
            (t("checkin.kept_partly"), "ci:kept:partly"),
            (t("checkin.kept_no"), "ci:kept:no"),
        ],
        [(t("checkin.kept_none"), "ci:kept:none")],
    ]
    return question, rows


def lesson_question() -> Question:
    return t("checkin.ask_lesson"), [skip_row(E_LESSON)]


async def ask_triggered(update: Update, ctx: Ctx, _found: Found | None = None) -> str:
    return await ask(update, ctx, E_TRIGGERED, *triggered_question())


async def triggered(update: Update, ctx: Ctx) -> str | int:
    found = await pressed(update, ctx, EVENING, "ci:trg:")
    if found is None:
        return END
    user, checkin, choice = found
    recorded = choice in ("yes", "no")
    if recorded:  # the answer and the next question in one UPDATE
        checkins.save(ctx.db, user, checkin, ctx.now(), E_REPAIR, triggered=choice)
    question, rows = repair_question()
    if choice == "yes":  # the log is offered once the check-in is done (finish)
        question = f"{t('checkin.triggered_offer')}\n\n{question}"
    return await ask(update, ctx, E_REPAIR, question, rows, recorded=recorded)


async def repair(update: Update, ctx: Ctx) -> str | int:
    found = await pressed(update, ctx, EVENING, "ci:rep:")
    if found is None:
        return END
    user, checkin, choice = found
    recorded = choice in checkins.REPAIRS
    if recorded:
        checkins.save(ctx.db, user, checkin, ctx.now(), E_KEPT, repair=choice)
    question, rows = kept_question(ctx, user, checkin)
    return await ask(update, ctx, E_KEPT, question, rows, recorded=recorded)


async def kept(update: Update, ctx: Ctx) -> str | int:
    found = await pressed(update, ctx, EVENING, "ci:kept:")
    if found is None:
        return END
    user, checkin, choice = found
    if choice in checkins.KEPT:
        checkins.answer_kept(ctx.db, user, checkin, choice, ctx.now())
    return await ask(update, ctx, E_LESSON, *lesson_question())


async def finish(update: Update, ctx: Ctx, found: Found | None = None) -> int:
    found = found or await draft(update, ctx, EVENING)
    if found is None:
        return END
    user, checkin = found
    await mark_answer(update)  # Skip ended it: keep the choice
    await say(update, ctx, checkins.finish(ctx.db, user, checkin, ctx.now()))
    if checkin.triggered == "yes":  # promised at the "triggering" step: now the log is offered
        await say(update, ctx, t("checkin.log_trigger_offer"), offer_rows())
    if checkin.interactions == "warm":  # a warm day may hold a corrective moment: offer /noticed
        await say(update, ctx, t("noticed.offer_after_evening"), noticed_offer())
    return END


def states() -> dict[object, list[BaseHandler[Update, Ctx, object]]]:
    return {
        E_INTERACTIONS: [
            CallbackQueryHandler(interactions, pattern=r"^ci:ia:[a-z0-9_]+$"),
            CallbackQueryHandler(interactions, pattern=skip_pattern(E_INTERACTIONS)),
        ],
        E_NOTE: typed_step(E_NOTE, EVENING, saving("interactions_note"), ask_triggered),
        E_TRIGGERED: [
            CallbackQueryHandler(triggered, pattern=r"^ci:trg:(yes|no)$"),
            CallbackQueryHandler(triggered, pattern=skip_pattern(E_TRIGGERED)),
        ],
        E_REPAIR: [
            CallbackQueryHandler(repair, pattern=r"^ci:rep:[a-z]+$"),
            CallbackQueryHandler(repair, pattern=skip_pattern(E_REPAIR)),
        ],
        E_KEPT: [CallbackQueryHandler(kept, pattern=r"^ci:kept:[a-z]+$")],
        E_LESSON: typed_step(E_LESSON, EVENING, saving("lesson"), finish),
    }

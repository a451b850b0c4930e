"""Morning check-in steps: emotions, intensity, what I need, one small commitment."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.content import t
from bot.engine.wheel import Wheel
from bot.features.checkin.common import (
    END,
    M_COMMIT,
    M_EMOTIONS,
    M_INTENSITY,
    M_NEED,
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
from bot.handlers.common import Button, Ctx, answer, edit_or_say, say
from bot.models import CheckIn, User
from bot.services import checkins, vocab
from bot.services.due import MORNING

#: The feelings wheel shared with the trigger log (bot/engine/wheel.py).
WHEEL = Wheel(
    "ci",
    "checkin.ask_emotions",
    "checkin.ask_emotion_words",
    "checkin.chosen",
    checkins.emotions_text,
)


def families_view(chosen: list[str]) -> Question:
    return WHEEL.families(chosen)


async def ask_emotions(update: Update, ctx: Ctx) -> str:
    text, rows = families_view([])
    await say(update, ctx, f"{t('checkin.morning_intro')}\n\n{text}", rows)
    return M_EMOTIONS


async def _chosen(update: Update, ctx: Ctx) -> tuple[Found, list[str]] | None:
    found = await draft(update, ctx, MORNING)
    return None if found is None else (found, found[1].emotions)


def _choose(ctx: Ctx, found: Found, chosen: list[str]) -> None:
    checkins.save(ctx.db, found[0], found[1], ctx.now(), emotions=chosen)


async def emotions_done(update: Update, ctx: Ctx) -> str | int:
    found = await draft(update, ctx, MORNING)
    if found is None:
        return END
    await answer(update)
    chosen = found[1].emotions
    summary = t("checkin.chosen", emotions=checkins.emotions_text(chosen)) if chosen else None
    # The picker becomes the next question, what was chosen kept above it.
    question = f"{summary or t('checkin.ask_emotions')}\n\n{t('checkin.ask_intensity')}"
    # (Not recorded: the check-in has recorded no step before this, so text typed now can't
    # be mistaken for a typed step's answer. Saves a statement on every morning check-in.)
    await edit_or_say(update, ctx, question, intensity_rows())
    return M_INTENSITY


def intensity_rows() -> list[list[Button]]:
    numbers = [(str(n), f"ci:int:{n}") for n in checkins.INTENSITIES]
    return [numbers[:6], numbers[6:], skip_row(M_INTENSITY)]


def need_question() -> Question:
    return t("checkin.ask_need"), [skip_row(M_NEED)]


def commitment_question() -> Question:
    rows = [[(c.label, f"ci:com:{c.id}")] for c in vocab.commitments()]
    return t("checkin.ask_commitment"), [*rows, skip_row(M_COMMIT)]


async def intensity(update: Update, ctx: Ctx) -> str | int:
    found = await pressed(update, ctx, MORNING, "ci:int:")
    if found is None:
        return END
    user, checkin, raw = found
    recorded = raw.isdigit() and int(raw) in checkins.INTENSITIES
    if recorded:  # the rating and the next question in one UPDATE
        checkins.save(ctx.db, user, checkin, ctx.now(), M_NEED, intensity=int(raw))
    return await ask(update, ctx, M_NEED, *need_question(), recorded=recorded)


async def ask_commitment(update: Update, ctx: Ctx, _found: Found | None = None) -> str:
    return await ask(update, ctx, M_COMMIT, *commitment_question())


async def commitment_pick(update: Update, ctx: Ctx) -> str | int:
    found = await pressed(update, ctx, MORNING, "ci:com:")
    if found is None:
        return END
    user, checkin, suggestion = found
    try:
        vocab.option("commitments", suggestion)
    except KeyError:
        return M_COMMIT
    checkins.commit_to(ctx.db, user, checkin, ctx.now(), suggestion_id=suggestion)
    return await finish(update, ctx, (user, checkin))


def commit_in_own_words(ctx: Ctx, user: User, checkin: CheckIn, text: str) -> None:
    checkins.commit_to(ctx.db, user, checkin, ctx.now(), text=text)


async def finish(update: Update, ctx: Ctx, found: Found | None = None) -> int:
    found = found or await draft(update, ctx, MORNING)
    if found is None:
        return END
    await mark_answer(update)  # a button (Skip or a suggestion) ended it: keep the choice
    await say(update, ctx, checkins.finish(ctx.db, *found, ctx.now()))
    return END


def states() -> dict[object, list[BaseHandler[Update, Ctx, Any]]]:
    return {
        M_EMOTIONS: WHEEL.handlers(_chosen, _choose, emotions_done, M_EMOTIONS),
        M_INTENSITY: [
            CallbackQueryHandler(intensity, pattern=r"^ci:int:\d{1,2}$"),
            CallbackQueryHandler(intensity, pattern=skip_pattern(M_INTENSITY)),
        ],
        M_NEED: typed_step(M_NEED, MORNING, saving("need"), ask_commitment),
        M_COMMIT: typed_step(
            M_COMMIT,
            MORNING,
            commit_in_own_words,
            finish,
            CallbackQueryHandler(commitment_pick, pattern=r"^ci:com:[a-z0-9_]+$"),
        ),
    }

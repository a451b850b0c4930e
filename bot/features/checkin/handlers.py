"""Morning and evening check-ins: /checkin, the prompt's Start button, and the conversation.

The steps are declared in morning.py and evening.py and driven by the step engine in place
(steps.py, bot/engine/inplace.py); the prompt the sweep sends and its Snooze / Skip today
buttons are in prompts.py. The open check-in is found in the database (the user's draft), so a
restart mid-way continues where the user was.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.content import t
from bot.engine import flow
from bot.engine.guided import Found
from bot.features.checkin import prompts as checkin_prompts
from bot.features.checkin.steps import FLOW
from bot.handlers.common import Ctx, answer, current_user, drop_buttons, onboarded_user, say
from bot.models import CheckIn
from bot.services import checkins
from bot.services.due import MORNING

log = logging.getLogger(__name__)


async def checkin_cmd(update: Update, ctx: Ctx) -> str | int | None:
    user = await onboarded_user(update, ctx, "checkin.not_onboarded")
    if user is None:
        return None
    now = ctx.now()
    if ctx.args:
        kind = checkins.kind_named(ctx.args[0])
        if kind is None:
            await say(update, ctx, t("checkin.bad_kind"))
            return None
    else:
        kind = checkins.kind_for_now(user, now)
    with _carrying_first(update, ctx, kind):
        checkin = checkins.start(ctx.db, user, kind, now)
    log.info("checkin_started user_id=%s checkin_id=%s kind=%s", user.id, checkin.id, kind)
    return await _first_question(update, ctx, Found(user, checkin))


async def start_from_prompt(update: Update, ctx: Ctx) -> str | int | None:
    user, prompt = await checkin_prompts.live_prompt_or_expired(update, ctx)
    if prompt is None:
        return None  # leaves any open conversation as it is
    await answer(update)
    await drop_buttons(update)
    kind = checkins.prompt_kind(prompt)
    with _carrying_first(update, ctx, kind):
        checkin = checkins.start(ctx.db, user, kind, ctx.now(), prompt)
    log.info(
        "checkin_started user_id=%s checkin_id=%s prompt_id=%s", user.id, checkin.id, prompt.id
    )
    return await _first_question(update, ctx, Found(user, checkin))


def _carrying_first(update: Update, ctx: Ctx, kind: str) -> AbstractContextManager[None]:
    """The new check-in's row carries its first question's step (flow.carrying): one
    statement and one commit on PostgreSQL for the row and the state."""
    first = FLOW.steps_of(CheckIn.model_construct(kind=kind))[0]  # (what ``first`` asks)
    return flow.carrying(update, ctx, FLOW.name, first)


async def _first_question(update: Update, ctx: Ctx, found: Found) -> str:
    intro = "checkin.morning_intro" if found.row.kind == MORNING else "checkin.evening_intro"
    return await FLOW.first(update, ctx, found, t(intro))


async def cancel_note(update: Update, ctx: Ctx) -> str | None:
    """/cancel left the check-in: close the draft, answers kept."""
    user = current_user(update, ctx)
    if checkins.close_unfinished(ctx.db, user.id, ctx.now()):
        return t("checkin.closed_note")
    return None


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return FLOW.in_place(
        [
            CommandHandler("checkin", checkin_cmd),
            CallbackQueryHandler(start_from_prompt, pattern=r"^ci:go:\d+$"),
        ],
        [
            CallbackQueryHandler(
                FLOW.already_answered,
                pattern=r"^ci:(fam|emo|back|done|int|skip|com|ia|trg|rep|kept)(:|$)",
            ),
        ],
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(checkin_prompts.snooze, pattern=r"^ci:snz:\d+$"))
    app.add_handler(CallbackQueryHandler(checkin_prompts.skip_today, pattern=r"^ci:skp:\d+$"))

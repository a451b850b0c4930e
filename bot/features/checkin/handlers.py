"""Morning and evening check-ins: /checkin, the prompt's Start button, and the conversation.

The steps live in checkin_morning.py and checkin_evening.py; the prompt the sweep sends and
its Snooze / Skip today buttons in checkin_prompts.py. The open check-in is found in the
database (the user's draft), so a restart mid-way continues where the user was.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.content import data, t
from bot.engine import flow
from bot.features.checkin import evening as checkin_evening
from bot.features.checkin import morning as checkin_morning
from bot.features.checkin import prompts as checkin_prompts
from bot.features.checkin import resume as checkin_resume
from bot.features.checkin.common import already_answered, not_text, text_answer
from bot.features.checkin.prompts import NAME
from bot.handlers.common import Ctx, answer, current_user, drop_buttons, onboarded_user, say
from bot.services import checkins
from bot.services.due import EVENING, MORNING
from bot.services.parse.words import one_of

log = logging.getLogger(__name__)


#: What may follow /checkin for each kind, in the user's language (English always works).
KIND_WORDS = {MORNING: "checkin.kind_words.morning", EVENING: "checkin.kind_words.evening"}


def kind_named(word: str) -> str | None:
    """The check-in kind a word after /checkin names ("abend", "утро", "pm"), or None."""
    for kind, key in KIND_WORDS.items():
        if one_of(word, [*data(key), *data(key, "en")]):
            return kind
    return None


async def checkin_cmd(update: Update, ctx: Ctx) -> str | int | None:
    user = await onboarded_user(update, ctx, "checkin.not_onboarded")
    if user is None:
        return None
    now = ctx.now()
    if ctx.args:
        kind = kind_named(ctx.args[0])
        if kind is None:
            await say(update, ctx, t("checkin.bad_kind"))
            return None
    else:
        kind = checkins.kind_for_now(user, now)
    checkin = checkins.start(ctx.db, user, kind, now)
    log.info("checkin_started user_id=%s checkin_id=%s kind=%s", user.id, checkin.id, kind)
    return await _first_question(update, ctx, kind)


async def start_from_prompt(update: Update, ctx: Ctx) -> str | int | None:
    user, prompt = await checkin_prompts.live_prompt_or_expired(update, ctx)
    if prompt is None:
        return None  # leaves any open conversation as it is
    await answer(update)
    await drop_buttons(update)
    kind = checkins.prompt_kind(prompt)
    checkin = checkins.start(ctx.db, user, kind, ctx.now(), prompt)
    log.info(
        "checkin_started user_id=%s checkin_id=%s prompt_id=%s", user.id, checkin.id, prompt.id
    )
    return await _first_question(update, ctx, kind)


async def _first_question(update: Update, ctx: Ctx, kind: str) -> str:
    if kind == MORNING:
        return await checkin_morning.ask_emotions(update, ctx)
    return await checkin_evening.ask_interactions(update, ctx)


async def cancel_note(update: Update, ctx: Ctx) -> str | None:
    """/cancel left the check-in: close the draft, answers kept."""
    user = current_user(update, ctx)
    if checkins.close_unfinished(ctx.db, user.id, ctx.now()):
        return t("checkin.closed_note")
    return None


async def text_in_button_step(update: Update, ctx: Ctx) -> str | int | None:
    """Text while the conversation's state takes buttons: "use the buttons", unless the open
    check-in says it already waits for a typed answer (the state lagged behind)."""
    return await text_answer(update, ctx, None)


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return flow.conversation(
        NAME,
        [
            CommandHandler("checkin", checkin_cmd),
            CallbackQueryHandler(start_from_prompt, pattern=r"^ci:go:\d+$"),
        ],
        {**checkin_morning.states(), **checkin_evening.states()},
        fallbacks=[
            CallbackQueryHandler(
                already_answered,
                pattern=r"^ci:(fam|emo|back|done|int|skip|com|ia|trg|rep|kept)(:|$)",
            ),
            MessageHandler(flow.OTHER, not_text),
            MessageHandler(flow.TEXT, text_in_button_step),
        ],
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(checkin_prompts.snooze, pattern=r"^ci:snz:\d+$"))
    app.add_handler(CallbackQueryHandler(checkin_prompts.skip_today, pattern=r"^ci:skp:\d+$"))
    checkin_resume.register()

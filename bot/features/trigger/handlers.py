"""/trigger: log a triggering moment as a thought record, one question at a time.

Situation → emotions and intensity → body → the story → thinking traps → evidence for and
against → a kinder reading → what I chose to do → intensity again → who and where; then a
short summary with the change in intensity. Every answer is saved as it arrives; /cancel keeps
the draft, and /trigger offers to continue it or start fresh.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.content import t
from bot.engine import flow
from bot.features.trigger import choices as trigger_choices
from bot.features.trigger.ask import FLOW, NAME, P, advance, keep_answer
from bot.features.trigger.choices import save_intensity
from bot.handlers.common import Ctx, say
from bot.models import TriggerEntry, User
from bot.services import triggers

_INTENSITY = re.compile(r"\s*(10|[0-9])\s*(?:/\s*10)?\s*")


async def start_from_offer(update: Update, ctx: Ctx) -> str | int:
    """ "Log it now" under an offer (after an evening check-in): the same start as /trigger."""
    await flow.settle(update, ctx, NAME, t("trigger.offer_now"))
    return await FLOW.start_cmd(update, ctx)


async def later(update: Update, ctx: Ctx) -> None:
    await flow.settle(update, ctx, NAME, t("trigger.offer_later"))
    await say(update, ctx, t("trigger.offer_later_reply"))


async def skip(
    update: Update, ctx: Ctx, step: str, user: User, entry: TriggerEntry, entry_id: int
) -> str | int:
    await flow.settle(update, ctx, NAME, t("trigger.skip"))
    saved = triggers.save(ctx.db, entry.user_id, entry_id, step, ctx.now())
    return await advance(update, ctx, saved)


async def typed(
    update: Update, ctx: Ctx, step: str, user: User, entry: TriggerEntry, entry_id: int
) -> str | int | None:
    """A typed answer: verbatim for free-text steps, a label for who/where/action."""
    text = flow.text_of(update)
    if step in ("intensity_before", "intensity_after"):
        match = _INTENSITY.fullmatch(text)
        if match is None:
            await FLOW.tap_a_button(update, ctx)
            return None
        return await save_intensity(update, ctx, step, int(match[1]))
    if step in ("emotions", "distortions"):
        await FLOW.tap_a_button(update, ctx)
        return None
    await flow.clear_prompt(update, ctx, NAME)
    return await advance(update, ctx, keep_answer(ctx, entry, entry_id, step, text))


def build() -> ConversationHandler:  # type: ignore[type-arg]
    entry_points = [
        CommandHandler("trigger", FLOW.start_cmd),
        CallbackQueryHandler(start_from_offer, pattern=rf"^{P}:start$"),
    ]
    return FLOW.conversation(entry_points, skip, typed, trigger_choices.handlers())


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(later, pattern=rf"^{P}:later$"))

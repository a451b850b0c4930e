"""/trigger: log a triggering moment as a thought record, one question at a time.

The steps are declared in steps.py. Every answer is saved as it arrives; /cancel keeps the
draft, and /trigger offers to continue it or start fresh.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.content import t
from bot.engine import flow
from bot.features.trigger.steps import FLOW, NAME, P
from bot.handlers.common import Button, Ctx, say


def offer_rows() -> list[list[Button]]:
    """ "Log it now" / "Later": offered by other features (the evening check-in) to start a log."""
    return [[(t("trigger.offer_now"), f"{P}:start"), (t("trigger.offer_later"), f"{P}:later")]]


async def start_from_offer(update: Update, ctx: Ctx) -> str | int:
    """ "Log it now" under an offer (after an evening check-in): the same start as /trigger."""
    await flow.settle(update, ctx, NAME, t("trigger.offer_now"))
    return await FLOW.start_cmd(update, ctx)


async def later(update: Update, ctx: Ctx) -> None:
    await flow.settle(update, ctx, NAME, t("trigger.offer_later"))
    await say(update, ctx, t("trigger.offer_later_reply"))


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return FLOW.conversation(
        [
            CommandHandler("trigger", FLOW.start_cmd),
            CallbackQueryHandler(start_from_offer, pattern=rf"^{P}:start$"),
        ]
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(later, pattern=rf"^{P}:later$"))

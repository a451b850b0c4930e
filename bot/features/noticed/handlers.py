"""/noticed: a corrective moment in under a minute, one question at a time.

The steps are declared in steps.py. Also offered by other features (the end of an evening
check-in that went mostly warm, a repair follow-up that went well) with ``offer_rows``: its
button starts the same conversation as /noticed.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.content import t
from bot.engine import flow
from bot.features.noticed.steps import FLOW, NAME, P
from bot.handlers.common import Button, Ctx


def offer_rows() -> list[list[Button]]:
    """ "Note a moment" under an offer: starts /noticed."""
    return [[(t("noticed.offer_now"), f"{P}:start")]]


async def start_from_offer(update: Update, ctx: Ctx) -> str | int:
    await flow.settle(update, ctx, NAME, t("noticed.offer_now"))
    return await FLOW.start_cmd(update, ctx)


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return FLOW.conversation(
        [
            CommandHandler("noticed", FLOW.start_cmd),
            CallbackQueryHandler(start_from_offer, pattern=rf"^{P}:start$"),
        ]
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())

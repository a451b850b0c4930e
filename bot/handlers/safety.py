"""Crisis language in any message, at any step, and /sos.

The crisis handler runs in group -2, before /cancel (group -1) and every feature (group 0). On
a hit it answers first with care and resources, then lets the update go on, so the
conversation the user was in continues where it was. It never reads or writes the database
(a user who just erased their data is not re-created) and logs only the user id.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.handlers.common import Ctx, say
from bot.services.crisis import crisis_message, detect_crisis, sos_message

log = logging.getLogger(__name__)

GROUP = -2
COMMANDS = [("sos", "People to reach right now, if you're in crisis")]


def _language(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None


async def sos(update: Update, ctx: Ctx) -> None:
    """Resources on request; whatever conversation is open stays open."""
    await say(update, ctx, sos_message(_language(update)))
    raise ApplicationHandlerStop


async def notice_crisis(update: Update, ctx: Ctx) -> None:
    message = update.effective_message
    if message is None or not detect_crisis(message.text or message.caption):
        return
    user = update.effective_user
    log.info("crisis_detected user_id=%s", user.id if user else None)
    await say(update, ctx, crisis_message(_language(update)))
    # No ApplicationHandlerStop: the open conversation handles the message as usual.


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("sos", sos), group=GROUP)
    app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, notice_crisis), group=GROUP)

"""Edited messages are not answers or commands.

Telegram sends an ``edited_message`` when someone fixes an earlier message, and python-telegram
-bot's ``filters.TEXT`` and ``CommandHandler`` match it like a new one: a corrected answer was
stored as the current step's answer (and the conversation moved on), an edited old /checkin
ran again. One handler here, before /cancel and every feature (group -1, registered first),
takes every edit and stops it there; the first time a user edits, a short note says edits are
not picked up.

Crisis language in an edit is still answered with care: the crisis handler runs earlier (group
-2, bot/features/safety/handlers.py). After it, no note follows: care is never followed by a
correction.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from bot.content import t
from bot.handlers.common import Ctx, say
from bot.services.crisis import detect_crisis

log = logging.getLogger(__name__)

GROUP = -1  # with /cancel, registered before it
_NOTED = "edit_noted"  # user_data: the note has been given


async def ignore_edit(update: Update, ctx: Ctx) -> None:
    message = update.edited_message
    user = update.effective_user
    log.info("edit_ignored user_id=%s", user.id if user else None)
    if (
        message is not None
        and message.chat.type == "private"
        and ctx.user_data is not None
        and not ctx.user_data.get(_NOTED)
        and not detect_crisis(message.text or message.caption)
    ):
        ctx.user_data[_NOTED] = True
        await say(update, ctx, t("limits.edit_ignored"))
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Call before ``general.register_cancel``: the first handler of group -1."""
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, ignore_edit), group=GROUP)

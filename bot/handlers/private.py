"""Private chats only: Steady talks with each person one to one.

What people write here is private (feelings, the names in their triggers), and everything
scheduled goes to the private chat (``user.id``). So in a group, supergroup or channel the bot
serves nothing: a command gets one short, kind reply pointing to the private chat, a button
press a short notice on the button itself, crisis language care first (the people to reach
right now, as /sos gives them; never quoted) and then the pointer, and anything else
silence. No user row is created or changed from there, and no conversation starts. This runs
before every other handler (group ``GROUP``).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.content import t
from bot.handlers.common import Ctx, answer, clip
from bot.services.crisis import detect_crisis, sos_message

log = logging.getLogger(__name__)

GROUP = -10  # before crisis care (-2), /cancel (-1) and every feature (0)


def _link(ctx: Ctx) -> str:
    username = ctx.bot.username if ctx.bot else None
    return f"https://t.me/{username}" if username else ""


async def outside_private(update: Update, ctx: Ctx) -> None:
    """Stop every update that does not come from a private chat (see the module doc)."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    user = update.effective_user
    log.info("not_private chat_type=%s user_id=%s", chat.type, user.id if user else None)
    link = _link(ctx)
    if update.callback_query is not None:
        await answer(update, clip(t("general.private_only_short"), 200))
    elif (message := update.message) is not None and user is not None and not user.is_bot:
        text = message.text or message.caption or ""
        reply = None
        if detect_crisis(text):  # care comes first, here too
            care = sos_message(user.language_code)
            reply = care + "\n\n" + t("general.private_only_care", link=link)
        elif text.startswith("/"):
            reply = t("general.private_only", link=link)
        if reply is not None:
            await ctx.bot.send_message(chat.id, clip(reply))
    raise ApplicationHandlerStop


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, outside_private), group=GROUP)

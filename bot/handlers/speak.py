"""Every update is answered in its sender's language.

Before anything else (group ``GROUP``), the update's language is set from the sender's
Telegram ``language_code`` (``bot/content/i18n.py``, ``resolve``), so even a reply made before
their row is read (a group's pointer, the flood note, care on first contact) is theirs; once
their row is read (``common.current_user``) the language they chose with /language, if any,
takes over. The language lives in the update's own task context: no other update sees it.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.content import i18n
from bot.handlers.common import Ctx

GROUP = -20  # before the private-chats check (-10) and everything after it


async def speak(update: Update, ctx: Ctx) -> None:
    user = update.effective_user
    i18n.use(i18n.resolve(user.language_code if user is not None else None))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(TypeHandler(Update, speak), group=GROUP)

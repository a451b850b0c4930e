"""/language: the language Steady speaks with the user, chosen with a button or typed
(``/language de``). Stored per user (``users.language``): every reply, scheduled prompt and
summary uses it from then on; until then Telegram's language decides (bot/handlers/speak.py).

Callback data: ``lang:<code>``. A press by someone without a row does nothing harmful (the
catch-all for unknown pressers answers it).
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.content import i18n, t
from bot.handlers.common import Button, Ctx, answer, clip, current_user, edit_or_say, say
from bot.models import User
from bot.services import profile

P = "lang"
_CHOICE = re.compile(rf"^{P}:([a-z]{{2}})$")


def rows() -> list[list[Button]]:
    """One button per language, each in its own name ("Deutsch", "русский")."""
    buttons = [(i18n.language_name(lang), f"{P}:{lang}") for lang in i18n.LANGUAGES]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


async def language_cmd(update: Update, ctx: Ctx) -> None:
    user = current_user(update, ctx)
    typed = " ".join(ctx.args or []).strip()
    if not typed:
        await say(update, ctx, t("language.choose"), rows())
        return
    lang = i18n.known(typed)
    if lang is None:
        await say(update, ctx, t("language.unknown", code=clip(typed, 16)), rows())
        return
    _choose(ctx, user, lang)
    await say(update, ctx, t("language.set"))


def _choose(ctx: Ctx, user: User, lang: str) -> None:
    """Store the language and speak it from this reply on."""
    profile.set_language(ctx.db, user, lang, ctx.now())
    i18n.use(lang)


async def language_button(update: Update, ctx: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _CHOICE.fullmatch(query.data)
    user = current_user(update, ctx)
    if match is None or match[1] not in i18n.LANGUAGES:
        await answer(update)
        return
    _choose(ctx, user, match[1])
    await answer(update)
    await edit_or_say(update, ctx, t("language.set"))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("language", language_cmd))
    app.add_handler(CallbackQueryHandler(language_button, pattern=rf"^{P}:"))

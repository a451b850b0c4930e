"""What Telegram shows of the bot before a word is typed, in each of Steady's languages: the
command menu (setMyCommands, per ``language_code``, English as the default for every other
language) and the profile's description and short description.

Command descriptions are content keys (``Command.description``).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot, BotCommand

from bot.content import i18n, t

DESCRIPTION_LIMIT, SHORT_LIMIT, COMMAND_LIMIT = 512, 120, 256


def text(key: str, lang: str | None = None) -> str:
    """A command's description (its content key, checked at start-up by
    ``base.check_content``) in ``lang`` (default: the current language)."""
    return t(key, lang=lang)


def commands_in(commands: Sequence[tuple[str, str]], lang: str) -> list[BotCommand]:
    return [BotCommand(name, text(desc, lang)[:COMMAND_LIMIT]) for name, desc in commands]


async def publish(bot: Bot, commands: Sequence[tuple[str, str]]) -> None:
    """The menu and the profile texts, one set per language, then the default (English, for
    every language Steady does not speak)."""
    for lang in (*i18n.LANGUAGES[1:], i18n.DEFAULT):
        code = None if lang == i18n.DEFAULT else lang
        await bot.set_my_commands(commands_in(commands, lang), language_code=code)
        await bot.set_my_description(
            t("general.description", lang=lang)[:DESCRIPTION_LIMIT], language_code=code
        )
        await bot.set_my_short_description(
            t("general.short_description", lang=lang)[:SHORT_LIMIT], language_code=code
        )

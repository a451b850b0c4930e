"""/help, /cancel, and the catch-alls: unknown commands, stale buttons, stray messages, errors."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from telegram import Update
from telegram.error import NetworkError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import menus
from bot.content import t
from bot.handlers.common import (
    Ctx,
    UnknownPresser,
    answer,
    current_user,
    end_conversations,
    say,
)
from bot.outbound import recipients
from bot.store.waits import DatabaseUnavailable

log = logging.getLogger(__name__)

#: /help and /cancel, listed last in the menu and /help: (command, content key of its description).
COMMANDS = [
    ("help", "general.command_help"),
    ("cancel", "general.command_cancel"),
]

#: What a feature says about its draft when /cancel leaves its conversation (None: nothing).
CancelNote = Callable[[Update, Ctx], Awaitable[str | None]]
#: bot_data: conversation name -> its ``CancelNote`` (``install_cancel_notes``).
CANCEL_NOTES_KEY = "cancel_notes"

App = Application  # type: ignore[type-arg]


def install_cancel_notes(app: App, notes: Mapping[str, CancelNote]) -> None:
    """What /cancel adds for each conversation it leaves, as the features declared it."""
    app.bot_data[CANCEL_NOTES_KEY] = dict(notes)


def cancel_note(app: App, conversation: str) -> CancelNote | None:
    """What a feature says about its draft when its conversation is left (None: nothing)."""
    notes: dict[str, CancelNote] = app.bot_data.get(CANCEL_NOTES_KEY, {})
    return notes.get(conversation)


def help_text(commands: Sequence[tuple[str, str]]) -> str:
    """In the current language: descriptions are content keys (or, until every feature's
    are, English text shown as it is)."""
    lines = [t("general.help_intro")]
    lines += [f"/{name} — {menus.text(description)}" for name, description in commands]
    return "\n".join(lines)


def make_help(
    commands: Sequence[tuple[str, str]],
) -> Callable[[Update, Ctx], Coroutine[Any, Any, None]]:
    async def help_cmd(update: Update, ctx: Ctx) -> None:
        current_user(update, ctx)  # sets their language
        await say(update, ctx, help_text(commands))

    return help_cmd


async def cancel(update: Update, ctx: Ctx) -> None:
    """Runs before every feature (group -1): ends whatever is open and stops there."""
    ended = end_conversations(ctx.application, update)
    if not ended:
        await say(update, ctx, t("common.nothing_to_cancel"))
        raise ApplicationHandlerStop
    notes = [t("common.cancelled")]
    for name in ended:
        note = cancel_note(ctx.application, name)
        if note is not None:
            extra = await note(update, ctx)
            if extra:
                notes.append(extra)
    log.info(
        "conversation_cancelled user_id=%s names=%s",
        update.effective_user and update.effective_user.id,
        ended,
    )
    await say(update, ctx, "\n\n".join(notes))
    raise ApplicationHandlerStop


async def unknown_command(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("common.unknown_command"))


async def stale_button(update: Update, ctx: Ctx) -> None:
    await answer(update, t("general.stale_short"))
    await say(update, ctx, t("common.stale_button"))


async def free_text(update: Update, ctx: Ctx) -> None:
    current_user(update, ctx)
    await say(update, ctx, t("common.free_text"))


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("common.not_text"))


async def on_error(update: object, ctx: Ctx) -> None:
    """Log ids and the error's type and place — never the message, which may hold user text."""
    err = ctx.error
    if update is None and isinstance(err, NetworkError):
        # Polling could not reach Telegram; PTB retries with backoff (see __main__).
        log.warning("telegram_unreachable during=polling error=%s", type(err).__name__)
        return
    if await _recipient_gone(update, ctx):
        return
    if isinstance(err, UnknownPresser) and isinstance(update, Update):
        log.info("button_from_unknown user_id=%s", getattr(update.effective_user, "id", None))
        await stale_button(update, ctx)
        return
    update_id = getattr(update, "update_id", None)
    user = getattr(update, "effective_user", None)
    where = ""
    if err is not None and err.__traceback__ is not None:
        last = traceback.extract_tb(err.__traceback__)[-1]
        where = f"{last.filename}:{last.lineno}"
    log.error(
        "handler_error update_id=%s user_id=%s error=%s at=%s",
        update_id,
        getattr(user, "id", None),
        type(err).__name__,
        where,
    )
    if isinstance(update, Update) and update.effective_chat is not None:
        reply = t("limits.notebook_unreachable" if database_failed(err) else "common.error")
        try:
            await ctx.bot.send_message(update.effective_chat.id, reply)
        except Exception as exc:  # the error reply is best effort
            log.warning("error_reply_failed update_id=%s error=%s", update_id, type(exc).__name__)


def database_failed(err: BaseException | None) -> bool:
    """The database did not answer in time or could not be reached (bot/store/db.py): a
    lock held too long, a statement timeout, a host gone."""
    return isinstance(err, (DatabaseUnavailable, OperationalError, SQLAlchemyTimeoutError))


async def _recipient_gone(update: object, ctx: Ctx) -> bool:
    """A reply failed with 403 (blocked, deactivated): mark the user inactive, say nothing."""
    if not recipients.recipient_gone(ctx.error) or not isinstance(update, Update):
        return False
    user, chat = update.effective_user, update.effective_chat
    if user is None or (chat is not None and chat.id != user.id):
        return False  # not the user's private chat (a group that removed the bot)
    assert ctx.error is not None
    recipients.mark_gone(ctx.db, user.id, ctx.now(), ctx.error)
    return True


def register_cancel(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("cancel", cancel), group=-1)


def register_fallbacks(app: Application, commands: Sequence[tuple[str, str]]) -> None:  # type: ignore[type-arg]
    """Added last in group 0, so they only see what no feature took."""
    app.add_handler(CommandHandler("help", make_help(commands)))
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, free_text))
    app.add_handler(
        MessageHandler(
            ~filters.TEXT & ~filters.StatusUpdate.ALL & filters.ChatType.PRIVATE, not_text
        )
    )
    app.add_error_handler(on_error)  # type: ignore[arg-type]

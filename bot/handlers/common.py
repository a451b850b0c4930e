"""Shared Telegram-layer helpers: the context type, replies, keyboards, conversation control."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, ConversationHandler, ExtBot

from bot.concurrency import answered_early
from bot.content import i18n, t
from bot.models import User
from bot.runtime import Runtime
from bot.services import profile, timetable
from bot.store import users
from bot.store.db import Database
from bot.store.drafts import MAX_ID

log = logging.getLogger(__name__)

MAX_TEXT = 4096
RUNTIME_KEY = "runtime"

Button = tuple[str, str]  # (label, callback_data)


class Ctx(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with the runtime at hand."""

    @property
    def rt(self) -> Runtime:
        return self.application.bot_data[RUNTIME_KEY]  # type: ignore[no-any-return]

    @property
    def db(self) -> Database:
        return self.rt.db

    def now(self) -> datetime:
        return self.rt.now()


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Inline keyboard from rows of (label, callback_data); None for no rows."""
    built = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row]
        for row in rows
        if row
    ]
    return InlineKeyboardMarkup(built) if built else None


def chunk(buttons: Sequence[Button], per_row: int) -> list[list[Button]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """Telegram refuses messages over 4096 characters; shorten gracefully."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def say(
    update: Update,
    ctx: Ctx,
    text: str,
    rows: Sequence[Sequence[Button]] = (),
) -> Message:
    """Send plain text (never parsed as HTML/Markdown) to the user's private chat (what users
    get carries their data: never to a group, bot/handlers/private.py)."""
    return await ctx.bot.send_message(private_chat(update), clip(text), reply_markup=keyboard(rows))


def private_chat(update: Update) -> int:
    """The chat id of the sender's private chat with the bot (its id is theirs)."""
    user = update.effective_user
    assert user is not None
    return user.id


async def answer(update: Update, text: str | None = None) -> CallbackQuery | None:
    """Acknowledge a button press (stops the spinner)."""
    query = update.callback_query
    if query is None:
        return None
    if answered_early(query.id):
        return query  # answered while it waited for its turn (bot/concurrency.py)
    try:
        await query.answer(text)
    except BadRequest:
        log.info("callback_answer_failed update_id=%s", update.update_id)
    return query


async def edit_or_say(
    update: Update, ctx: Ctx, text: str, rows: Sequence[Sequence[Button]] = ()
) -> None:
    """Replace the pressed message's text and buttons, or send a new message."""
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_text(clip(text), reply_markup=keyboard(rows))
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("edit_failed update_id=%s", update.update_id)
    await say(update, ctx, text, rows)


async def drop_buttons(update: Update) -> None:
    """Remove the keyboard of the pressed message so the same choice can't be made twice."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


def parse_id(raw: str | None) -> int | None:
    """A row id taken from callback data, or None when no row could have it.

    Callback data is whatever a client sends: an id past the INTEGER columns' range (a
    60-digit one raised OverflowError on SQLite, "out of range" on PostgreSQL) or not a number
    at all is a button that matches nothing, so the caller answers it as ended.
    """
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def callback_id(update: Update, position: int = -1) -> int | None:
    """The id at ``position`` of the pressed button's ``:``-separated data (see parse_id)."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    parts = query.data.split(":")
    return parse_id(parts[position]) if -len(parts) <= position < len(parts) else None


class UnknownPresser(Exception):  # noqa: N818  (not a failure: a kind of update)
    """A button pressed by someone Steady keeps nothing about (erased with /delete, or never
    met): no row is made from it; the error handler answers it as a button that has ended."""


def current_user(update: Update, ctx: Ctx, known: User | None = None) -> User:
    """The sender's row, created on first contact; reactivated when they write again.
    ``known``: the row as the caller has just read it (with something else, in one query).

    A button press never creates the row (UnknownPresser): only what someone writes does.
    """
    tg_user = update.effective_user
    assert tg_user is not None
    now = ctx.now()
    if known is None and update.callback_query is not None:
        known = users.existing(ctx.db, tg_user.id)
        if known is None:
            raise UnknownPresser
    user = known or users.ensure(
        ctx.db,
        tg_user.id,
        tg_user.id,  # the private chat (only private chats are served: handlers/private.py)
        tg_user.first_name or "",
        tg_user.language_code,
        now,
    )
    i18n.use(profile.language(user))  # their /language choice, from here on (handlers/speak.py)
    if not user.active and users.reactivate(ctx.db, user.id, now):
        log.info("user_reactivated user_id=%s", user.id)
        timetable.reschedule(ctx.db, user.id, now)  # prompts stopped while they were away
        return users.get(ctx.db, user.id) or user
    return user


async def onboarded_user(update: Update, ctx: Ctx, refusal: str) -> User | None:
    """The sender if they have finished /start; otherwise None after saying the text at the
    content key ``refusal`` (each feature words it its own way)."""
    user = current_user(update, ctx)
    if profile.is_onboarded(user):
        return user
    await say(update, ctx, t(refusal))
    return None


def message_text(update: Update) -> str | None:
    """The text of a message update, or None for stickers, photos, voice and other kinds."""
    message = update.effective_message
    if message is None or message.text is None:
        return None
    return message.text


def conversation_handlers(app: Application) -> list[ConversationHandler]:  # type: ignore[type-arg]
    return [
        h for group in app.handlers.values() for h in group if isinstance(h, ConversationHandler)
    ]


def conversation_key(update: Update) -> tuple[int, int] | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    return (chat.id, user.id)


def open_conversations(app: Application, update: Update) -> list[str]:  # type: ignore[type-arg]
    """Names of the conversations this user has open right now."""
    key = conversation_key(update)
    if key is None:
        return []
    return [
        h.name or ""
        for h in conversation_handlers(app)
        if key in h._conversations  # noqa: SLF001  (PTB has no public accessor)
    ]


def end_conversations(
    app: Application,  # type: ignore[type-arg]
    update: Update,
    keep: str | None = None,
) -> list[str]:
    """End every open conversation of this user (but ``keep``); returns the names ended.

    PTB offers no public way to end a conversation from outside its handler; setting the
    state to END through ``_update_state`` is what its own timeout handling does.
    """
    key = conversation_key(update)
    ended: list[str] = []
    if key is None:
        return ended
    for handler in conversation_handlers(app):
        if handler.name != keep and key in handler._conversations:  # noqa: SLF001
            handler._update_state(ConversationHandler.END, key)  # noqa: SLF001
            ended.append(handler.name or "")
    return ended


def end_all_conversations(app: Application, user_id: int) -> list[str]:  # type: ignore[type-arg]
    """End every open conversation of the user in every chat (their private chat, and any
    other a conversation was once keyed by); returns the names ended."""
    ended: list[str] = []
    for handler in conversation_handlers(app):
        for key in [k for k in handler._conversations if k and k[-1] == user_id]:  # noqa: SLF001
            handler._update_state(ConversationHandler.END, key)  # noqa: SLF001
            ended.append(handler.name or "")
    return ended


def user_turn(app: Application, user_id: int | None) -> AbstractAsyncContextManager[Any]:  # type: ignore[type-arg]
    """Hold the user's turn from outside an update (scheduled work): none of their updates is
    handled meanwhile. A no-op where the update processor offers no turns."""
    turn = getattr(app.update_processor, "turn", None)
    if user_id is None or turn is None:
        return contextlib.nullcontext()
    return turn(user_id)  # type: ignore[no-any-return]

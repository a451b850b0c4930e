"""Helpers shared by the step-by-step conversations: building one as the house keeps them,
prompts whose buttons are removed once answered, reading text answers, and switching away from
another conversation (/trigger, /repair)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any

from telegram import Bot, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.content import data, t
from bot.content.keys import Family
from bot.engine import aftercare
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    conversation_key,
    edit_or_say,
    end_conversations,
    keyboard,
    open_conversations,
    say,
)
from bot.persistence import DatabasePersistence
from bot.services.textsplit import clip

TEXT = filters.TEXT & ~filters.COMMAND
OTHER = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL

Handler = BaseHandler[Update, Ctx, Any]
Callback = Callable[[Update, Ctx], Coroutine[Any, Any, Any]]

_PROMPTS = "flow_prompts"  # user_data: conversation name -> (chat id, message id)
ECHO_CLIP = 200  # characters of a chosen label echoed under an answered prompt


def texts(name: str) -> tuple[Family, ...]:
    """The texts these helpers look up for the conversation ``name`` (its feature lists them
    in its ``Feature.texts``): what ``gone`` says, and how ``ask_switch`` calls it."""
    return (Family("{}.no_draft", (name,)), Family("flow.this_{}", (name,)))


def conversation(
    name: str,
    entry_points: Iterable[Handler],
    states: dict[object, list[Handler]],
    fallbacks: Iterable[Handler] = (),
) -> ConversationHandler[Ctx]:
    """A conversation as the house keeps them: stored under ``name`` after every step (a
    restart loses nothing), started afresh by its entry points at any step, and able to wait
    after a care message (a paused twin of every state, bot/engine/aftercare.py)."""
    return ConversationHandler(
        entry_points=list(entry_points),
        states={**states, **aftercare.paused_states(name, states)},
        fallbacks=list(fallbacks),
        name=name,
        persistent=True,
        allow_reentry=True,
    )


def carrying(
    update: Update, ctx: Ctx, name: str, state: object | None
) -> contextlib.AbstractContextManager[None]:
    """While inside, the answer the conversation ``name`` stores (a draft's UPDATE or INSERT)
    also stores ``state``, the step the update moves the conversation to: one statement and
    one commit on PostgreSQL, and the step is stored before the reply (bot/persistence.py).
    ``ConversationHandler.END``: the conversation ends with the answer (its state is
    forgotten by the same statement; nothing to forget if it was not open); None: nothing
    is carried."""
    key = conversation_key(update)
    persistence = ctx.application.persistence
    if state is None or key is None or not isinstance(persistence, DatabasePersistence):
        return contextlib.nullcontext()
    if state == ConversationHandler.END:
        if name not in open_conversations(ctx.application, update):
            return contextlib.nullcontext()
        return persistence.carry(name, key, None)
    return persistence.carry(name, key, state)


def typed_step(typed: Callback, not_text: Callback, *buttons: Handler) -> list[Handler]:
    """The handlers of a step that takes a typed answer: its buttons (Skip …), the text, and
    a re-prompt for stickers, photos or voice."""
    return [*buttons, MessageHandler(TEXT, typed), MessageHandler(OTHER, not_text)]


async def prompt(
    update: Update, ctx: Ctx, name: str, text: str, rows: Sequence[Sequence[Button]] = ()
) -> Message:
    """Ask a step's question; the previous question's buttons of the same flow are removed."""
    await clear_prompt(update, ctx, name)
    message = await say(update, ctx, text, rows)
    if rows:
        remember_prompt(ctx, name, message.chat_id, message.message_id)
    return message


async def prompt_in_place(
    update: Update,
    ctx: Ctx,
    name: str,
    choice: str,
    text: str,
    rows: Sequence[Sequence[Button]] = (),
    question: str | None = None,
) -> bool:
    """After a button answer: the pressed message turns into the next question (``text``),
    the choice kept under the question answered (the message's text, or ``question`` when it
    showed more): answerCallbackQuery and one edit, no second message. Asked as a new
    message if the edit fails; False (nothing done) if the pressed message has no text."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or not message.text:
        return False
    await answer(update)
    await clear_prompt(update, ctx, name)  # an older question's buttons (not this message's)
    asked = answered(question or message.text, choice)
    try:
        await query.edit_message_text(clip(f"{asked}\n\n{text}"), reply_markup=keyboard(rows))
    except BadRequest:  # gone, or too old to edit: asked anew
        await prompt(update, ctx, name, text, rows)
        return True
    if rows:
        remember_prompt(ctx, name, message.chat_id, message.message_id)
    return True


def remember_prompt(ctx: Ctx, name: str, chat_id: int, message_id: int) -> None:
    """The message holding the flow's open question, whose buttons the next answer removes."""
    if ctx.user_data is not None:
        ctx.user_data.setdefault(_PROMPTS, {})[name] = (chat_id, message_id)


async def clear_prompt(update: Update, ctx: Ctx, name: str) -> None:
    """Remove the buttons of the flow's last question (best effort: not kept across restarts)."""
    if ctx.user_data is None:
        return
    stored = ctx.user_data.get(_PROMPTS, {}).pop(name, None)
    if stored is None:
        return
    chat_id, message_id = stored
    query = update.callback_query
    if query is not None and query.message is not None and query.message.message_id == message_id:
        return  # the pressed message is edited by the handler itself
    with contextlib.suppress(BadRequest):
        await ctx.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


async def forget_prompt(bot: Bot, user_data: dict[Any, Any] | None, name: str) -> None:
    """Remove the buttons of a flow's last question with no update at hand (the flow was left
    hanging and is being closed); best effort."""
    stored = (user_data or {}).get(_PROMPTS, {}).pop(name, None)
    if stored is None:
        return
    chat_id, message_id = stored
    with contextlib.suppress(TelegramError):
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


def answered(question: str, choice: str) -> str:
    """A question with the choice made shown under it (“→ Partly”)."""
    return clip(f"{question}\n→ {clip(choice, ECHO_CLIP)}")


async def settle(
    update: Update, ctx: Ctx, name: str, choice: str, question: str | None = None
) -> None:
    """After a button answer: acknowledge it and show the choice under the question (the
    pressed message's text, or ``question`` when the message showed more than the question)."""
    query = await answer(update)
    if ctx.user_data is not None:
        ctx.user_data.get(_PROMPTS, {}).pop(name, None)
    if query is None or query.message is None:
        return
    original = question or getattr(query.message, "text", None) or ""
    await edit_or_say(update, ctx, answered(original, choice))


async def gone(update: Update, ctx: Ctx, name: str) -> int:
    """The draft this conversation was filling is no longer open (finished, put aside,
    deleted): says so and ends the conversation."""
    await clear_prompt(update, ctx, name)
    await say(update, ctx, t(f"{name}.no_draft"))
    return ConversationHandler.END


def text_of(update: Update) -> str:
    """The message text, verbatim (Telegram already limits it to 4096 characters)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text


def _describe(names: Sequence[str]) -> str:
    known: dict[str, str] = data("flow.names")
    labels = [known.get(name, t("flow.other_fallback")) for name in names]
    return t("flow.other_and").join(dict.fromkeys(labels))


async def ask_switch(update: Update, ctx: Ctx, name: str, prefix: str) -> bool:
    """If another conversation is open, ask whether to switch to ``name``; True if asked."""
    others = [n for n in open_conversations(ctx.application, update) if n != name]
    if not others:
        return False
    await say(
        update,
        ctx,
        t("flow.switch_question", other=_describe(others), this=t(f"flow.this_{name}")),
        [[(t("flow.switch_yes"), f"{prefix}:switch")], [(t("flow.switch_no"), f"{prefix}:stay")]],
    )
    return True


async def switch(update: Update, ctx: Ctx, name: str) -> None:
    """End the other conversations (their drafts stay in the database)."""
    await settle(update, ctx, name, t("flow.switch_yes"))
    end_conversations(ctx.application, update, keep=name)


async def stay(update: Update, ctx: Ctx, name: str) -> None:
    await settle(update, ctx, name, t("flow.switch_no"))
    await say(update, ctx, t("flow.switch_stayed"))

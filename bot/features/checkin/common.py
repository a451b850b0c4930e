"""Helpers shared by the morning and evening check-in steps."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.content import t
from bot.engine import flow
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    clip,
    current_user,
    drop_buttons,
    keyboard,
    message_text,
    say,
)
from bot.models import CheckIn, User
from bot.services import checkins
from bot.store import checkins as store

# Conversation states (persisted as these strings).
M_EMOTIONS, M_INTENSITY, M_NEED, M_COMMIT = "m_emotions", "m_intensity", "m_need", "m_commit"
E_INTERACTIONS, E_NOTE, E_TRIGGERED = "e_interactions", "e_note", "e_triggered"
E_REPAIR, E_KEPT, E_LESSON = "e_repair", "e_kept", "e_lesson"
END = ConversationHandler.END

#: The user and their open check-in, as read at the start of an update.
Found = tuple[User, CheckIn]
#: What comes after a step: the next question (returns its state; asked with ``ask``, so in
#: place of a question answered by a button) or the end (which marks a button answer itself).
#: It gets what the step already read, or None (then it reads it itself if it needs it).
Next = Callable[[Update, Ctx, Found | None], Awaitable[str | int]]
#: Keeps a typed answer: (ctx, user, their open check-in, the text).
Keep = Callable[[Ctx, User, CheckIn, str], object]
#: A step's question and its buttons.
Question = tuple[str, list[list[Button]]]


def skip_row(step: str) -> list[Button]:
    """A Skip button that only works at ``step`` (an old one can't skip a later question)."""
    return [(t("common.skip"), f"ci:skip:{step}")]


def skip_pattern(step: str) -> str:
    return rf"^ci:skip:{step}$"


async def draft(
    update: Update,
    ctx: Ctx,
    kind: str,
    read: tuple[User, CheckIn | None] | None = None,
    *,
    quiet: bool = False,
) -> Found | None:
    """The user and their open check-in of ``kind``; None (after saying so, unless
    ``quiet``) if it's gone. ``read``: what ``user_and_open_draft`` just returned, if the
    caller has it."""
    tg_user = update.effective_user
    assert tg_user is not None
    both = read or store.user_and_open_draft(ctx.db, tg_user.id)  # one query on every step
    if both is None:  # first contact: created, and nothing open yet
        user, found = current_user(update, ctx), None
    else:
        user, found = current_user(update, ctx, known=both[0]), both[1]
    if found is None or found.kind != kind:
        if quiet:
            return None
        await answer(update)
        await say(update, ctx, t("checkin.gone"))
        return None
    return user, found


async def pressed(
    update: Update, ctx: Ctx, kind: str, prefix: str
) -> tuple[User, CheckIn, str] | None:
    """A button of the open check-in of ``kind`` pressed: the user, the check-in and the
    callback data after ``prefix`` (the press is answered); None if the check-in is gone."""
    found = await draft(update, ctx, kind)
    if found is None:
        return None
    query = await answer(update)
    assert query is not None and query.data is not None
    return found[0], found[1], query.data.removeprefix(prefix)


def _choice(update: Update) -> tuple[CallbackQuery, str, str] | None:
    """The pressed query, its question's text and the label of the button pressed, if known."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or not message.text:
        return None
    markup = message.reply_markup
    labels = [
        button.text
        for row in (markup.inline_keyboard if markup else ())
        for button in row
        if button.callback_data == query.data
    ]
    return (query, message.text, labels[0]) if labels else None


async def mark_answer(update: Update) -> None:
    """Replace the pressed question's buttons by the choice made (“→ Partly”)."""
    choice = _choice(update)
    if choice is None:
        await drop_buttons(update)
        return
    query, question, label = choice
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(flow.answered(question, label), reply_markup=None)


async def ask(
    update: Update,
    ctx: Ctx,
    step: str,
    text: str,
    rows: Sequence[Sequence[Button]] = (),
    *,
    recorded: bool = False,
) -> str:
    """Ask the question of ``step`` and return it (the conversation state). The open check-in
    records it first, so an answer finds its field even if the state lags (``typed_step``).

    Answered by a button, the question becomes the next one in place, the choice kept above
    it (“→ 6”): one message to edit instead of a second to send. Otherwise (a typed answer,
    a command) it is a new message. ``recorded``: the step was saved with the answer."""
    if not recorded:
        await waits_for(update, ctx, step)
    choice = _choice(update)
    if choice is not None:
        query, question, label = choice
        try:
            await query.edit_message_text(
                clip(f"{flow.answered(question, label)}\n\n{text}"),
                reply_markup=keyboard(rows),
            )
            return step
        except BadRequest:
            pass  # the message is gone or too old to edit: ask anew below
    if update.callback_query is not None:
        await drop_buttons(update)  # no second answer to the old question
    await say(update, ctx, text, rows)
    return step


async def waits_for(update: Update, ctx: Ctx, step: str) -> None:
    """Record on the open check-in that ``step``'s question is (about to be) asked."""
    user = update.effective_user
    assert user is not None
    checkins.wait_for(ctx.db, user.id, step, ctx.now())


def typed(update: Update) -> str | None:
    """The typed answer, kept verbatim (Telegram caps it at 4096 characters)."""
    text = message_text(update)
    return None if text is None or not text.strip() else text


def saving(field: str) -> Keep:
    """Keep a typed answer verbatim in the check-in's ``field``."""

    def keep(ctx: Ctx, user: User, checkin: CheckIn, text: str) -> None:
        checkins.save(ctx.db, user, checkin, ctx.now(), **{field: text})

    return keep


@dataclass(frozen=True, slots=True)
class Typed:
    """A step answered by typing: its check-in's kind, how the answer is kept, what follows."""

    kind: str
    keep: Keep
    then: Next


#: Every step answered by typing, by its state (filled by ``typed_step``): where a typed
#: answer goes when the open check-in says it waits for that step (see ``text_answer``), and
#: how a message with crisis language is kept as its answer (checkin_resume.py).
TYPED: dict[str, Typed] = {}


def typed_step(
    step: str, kind: str, keep: Keep, then: Next, *buttons: flow.Handler
) -> list[flow.Handler]:
    """A step answered by typing: its ``buttons``, Skip, the typed answer (kept by ``keep``)
    and a re-prompt for stickers, photos or voice; both the answer and Skip go on to ``then``."""
    TYPED[step] = Typed(kind, keep, then)

    async def typed_answer(update: Update, ctx: Ctx) -> str | int | None:
        return await text_answer(update, ctx, step)

    async def skipped(update: Update, ctx: Ctx) -> str | int:
        await answer(update)
        return await then(update, ctx, None)  # asks the next question in place (see ask)

    skip = CallbackQueryHandler(skipped, pattern=skip_pattern(step))
    return flow.typed_step(typed_answer, not_text_for(step), *buttons, skip)


async def text_answer(update: Update, ctx: Ctx, state: str | None) -> str | int | None:
    """Text typed during a check-in, with the conversation at ``state`` (None: a state that
    takes no text). The field is chosen by the step the open check-in itself waits for: the
    state in memory can lag one question behind (a send that failed after Telegram delivered
    the question, a state that could not be stored), and then answer N+1 would overwrite
    answer N. A check-in from before steps were recorded follows the state."""
    tg_user = update.effective_user
    assert tg_user is not None
    both = store.user_and_open_draft(ctx.db, tg_user.id)
    waiting = both[1].step if both is not None and both[1] is not None else None
    step = waiting or state
    typed_step_ = TYPED.get(step) if step is not None else None
    if typed_step_ is None:  # the check-in waits for a button
        await use_buttons(update, ctx)
        return waiting if waiting != state else None
    found = await draft(update, ctx, typed_step_.kind, both)
    if found is None:
        return END
    text = typed(update)
    if text is None:
        return waiting if waiting != state else None
    typed_step_.keep(ctx, found[0], found[1], text)
    return await typed_step_.then(update, ctx, found)


def not_text_for(step: str) -> Callable[[Update, Ctx], Coroutine[Any, Any, None]]:
    """Stickers, photos or voice where a typed answer is expected: a gentle re-prompt."""

    async def re_prompt(update: Update, ctx: Ctx) -> None:
        await say(update, ctx, t("checkin.re_prompt_text"), [skip_row(step)])

    return re_prompt


async def not_text(update: Update, ctx: Ctx) -> None:
    """Stickers, photos or voice while the check-in waits for a button."""
    await say(update, ctx, t("checkin.use_buttons"))


async def use_buttons(update: Update, ctx: Ctx) -> None:
    """Text typed while the check-in waits for a button."""
    await say(update, ctx, t("checkin.use_buttons"))


async def already_answered(update: Update, ctx: Ctx) -> None:
    """A button of an earlier step of the check-in that is still open."""
    await answer(update, t("checkin.already_answered"))

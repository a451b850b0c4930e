"""The check-in prompt the sweep sends, and its Snooze / Skip today buttons.

Senders for the due-prompt kinds ``morning``, ``evening`` and ``snooze``. Sending a new prompt
closes any check-in left unanswered (answers kept) and ends its conversation.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import Application, ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    callback_id,
    clip,
    conversation_handlers,
    current_user,
    drop_buttons,
    keyboard,
    say,
    user_turn,
)
from bot.models import DuePrompt, User
from bot.services import checkins
from bot.services.due import CHECKIN_KINDS, SNOOZE, is_late

log = logging.getLogger(__name__)

NAME = "checkin"  # the check-in conversation's name

#: The prompt of each check-in the sweep sends.
PROMPTS = Family("checkin.prompt_{}", CHECKIN_KINDS)


def prompt_buttons(prompt_id: int) -> list[list[Button]]:
    return [
        [(t("checkin.button_start"), f"ci:go:{prompt_id}")],
        [
            (t("checkin.button_snooze"), f"ci:snz:{prompt_id}"),
            (t("checkin.button_skip_today"), f"ci:skp:{prompt_id}"),
        ],
    ]


def prompt_text(user: User, prompt: DuePrompt, late: bool) -> str:
    name = user.first_name or t("common.no_name")
    kind = checkins.prompt_kind(prompt)
    if prompt.kind == SNOOZE:
        text = t("checkin.prompt_snoozed", kind=kind, name=name)
    else:
        text = t(f"checkin.prompt_{kind}", name=name)
    return text + ("\n\n" + t("checkin.late_note") if late else "")


def end_conversation(app: Application, user: User) -> bool:  # type: ignore[type-arg]
    """End the user's open check-in conversation from outside it (no update at hand)."""
    key = (user.id, user.id)  # the private chat's conversation
    for handler in conversation_handlers(app):
        if handler.name == NAME and key in handler._conversations:  # noqa: SLF001
            handler._update_state(ConversationHandler.END, key)  # noqa: SLF001
            return True
    return False


async def send_prompt(ctx: Ctx, user: User, prompt: DuePrompt) -> Message | None:
    """Sender for morning, evening and snooze prompts.

    The check-in left open is closed first, in the user's turn (never in the middle of one of
    their answers), so that nothing but the send itself lies between Telegram accepting the
    prompt and the sweep marking it sent.
    """
    assert prompt.id is not None
    now = ctx.now()
    async with user_turn(ctx.application, user.id):
        # (in a worker thread: the sweep sends many prompts while updates keep arriving)
        closed = await asyncio.to_thread(
            checkins.clear_before_prompt, ctx.db, user.id, prompt.kind, now
        )
        if end_conversation(ctx.application, user):
            await ctx.application.update_persistence()
    if closed:
        log.info("checkin_closed user_id=%s by_prompt=%s", user.id, prompt.id)
    return await ctx.bot.send_message(
        user.id,  # the private chat, never users.chat_id's first contact
        clip(prompt_text(user, prompt, is_late(prompt.due_at, now))),
        reply_markup=keyboard(prompt_buttons(prompt.id)),
    )


# --- the prompt's buttons ---------------------------------------------------------------------


async def live_prompt_or_expired(update: Update, ctx: Ctx) -> tuple[User, DuePrompt | None]:
    """The pressed prompt if it still works; otherwise says kindly it has expired."""
    user = current_user(update, ctx)
    prompt_id = callback_id(update)
    prompt = None
    if prompt_id is not None:
        prompt = checkins.live_prompt(ctx.db, user, prompt_id, ctx.now())
    if prompt is None:
        await answer(update, t("checkin.expired_short"))
        await drop_buttons(update)
        await say(update, ctx, t("checkin.expired"))
    return user, prompt


async def snooze(update: Update, ctx: Ctx) -> None:
    user, prompt = await live_prompt_or_expired(update, ctx)
    if prompt is None:
        return
    due, booked = checkins.snooze(ctx.db, user, prompt, ctx.now())
    if not booked:  # pressed again (a replayed button): nothing more is booked
        log.info("checkin_snooze_again user_id=%s prompt_id=%s", user.id, prompt.id)
        label = checkins.snooze_label(user, due)
        await answer(update, clip(t("checkin.already_snoozed", time=label), 200))
        await drop_buttons(update)
        return
    await answer(update)
    await drop_buttons(update)
    log.info("checkin_snoozed user_id=%s prompt_id=%s", user.id, prompt.id)
    await say(update, ctx, t("checkin.snoozed", time=checkins.snooze_label(user, due)))


async def skip_today(update: Update, ctx: Ctx) -> None:
    user, prompt = await live_prompt_or_expired(update, ctx)
    if prompt is None:
        return
    await answer(update)
    await drop_buttons(update)
    checkins.skip_today(ctx.db, user, prompt, ctx.now())
    log.info("checkin_skipped user_id=%s prompt_id=%s", user.id, prompt.id)
    await say(update, ctx, t("checkin.skipped_today"))

"""Crisis language in any message, at any step, and /sos.

The crisis handler runs in group -2, before /cancel (group -1) and every feature (group 0),
on new and edited messages, texts and captions. On a hit it answers first with care: the
user's own safety plan (their coping, their people, what matters to them), then the helplines
for their country and language, then the emergency number (bot/services/care.py). Then the
update stops there: the message is never parsed as a time, a city or a button, never quoted
back and never corrected. An open conversation pauses under the care message with "Carry on
where we were" / "Stop here for now" (bot/engine/aftercare.py); where its step wants free
text, the message is first kept as that step's answer. (An edited message is not an answer to
the step that is open now, so it is not kept.)

It only reads the database (the user's timezone and plan: a user who just erased their data is
not re-created), apart from keeping the answer of an open conversation; it logs only the id.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.content import t
from bot.engine import aftercare
from bot.features.safety import grounding
from bot.handlers.common import Button, Ctx, say
from bot.models import User
from bot.services import care, profile, safetyplan
from bot.services.crisis import detect_crisis
from bot.services.textsplit import split_text
from bot.store import safetyplans, users

log = logging.getLogger(__name__)

GROUP = -2


def _language(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None


def _context(update: Update, ctx: Ctx) -> tuple[User | None, dict[str, str | None] | None]:
    """The user's row and safety plan, read only (nothing is created)."""
    tg_user = update.effective_user
    if tg_user is None:
        return None, None
    stored = users.get(ctx.db, tg_user.id)
    if stored is None:
        return None, None
    return stored, safetyplan.sections(safetyplans.get(ctx.db, tg_user.id))


async def _say_all(update: Update, ctx: Ctx, text: str, rows: list[list[Button]]) -> None:
    parts = split_text(text)
    for number, part in enumerate(parts, start=1):
        await say(update, ctx, part, rows if number == len(parts) else ())


async def sos(update: Update, ctx: Ctx) -> None:
    """Resources on request, the user's plan first; whatever conversation is open stays open.
    A calm moment too: the grounding exercise and the safety plan are offered here."""
    user, plan = _context(update, ctx)
    rows: list[list[Button]] = grounding.offer_rows()
    if user is not None and profile.is_onboarded(user):  # the plan needs /start first
        rows.append([(t("safetyplan.offer_open" if plan else "safetyplan.offer_write"), "sp:open")])
    zone = user.timezone if user is not None else None
    await _say_all(update, ctx, care.sos_text(plan, _language(update), zone), rows)
    raise ApplicationHandlerStop


async def notice_crisis(update: Update, ctx: Ctx) -> None:
    message = update.effective_message
    text = (message.text or message.caption) if message is not None else None
    if not detect_crisis(text):
        return
    user = update.effective_user
    log.info("crisis_detected user_id=%s", user.id if user else None)
    found = aftercare.open_conversation(update, ctx)
    stored, plan = _context(update, ctx)
    zone = stored.timezone if stored is not None else None
    reply = care.care_text(plan, _language(update), zone, paused=found is not None)
    await _say_all(update, ctx, reply, aftercare.buttons() if found is not None else [])
    if found is not None:
        answer = text if update.edited_message is None else None
        await aftercare.pause(update, ctx, found, answer)
    raise ApplicationHandlerStop  # never parsed, corrected or answered by a feature


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("sos", sos), group=GROUP)
    app.add_handler(MessageHandler(filters.TEXT | filters.CAPTION, notice_crisis), group=GROUP)
    app.add_handler(aftercare.stale_handler())

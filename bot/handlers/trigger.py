"""/trigger: log a triggering moment as a thought record, one question at a time.

Situation → emotions and intensity → body → the story → thinking traps → evidence for and
against → a kinder reading → what I chose to do → intensity again → who and where; then a
short summary with the change in intensity. Every answer is saved as it arrives; /cancel keeps
the draft, and /trigger offers to continue it or start fresh.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.content import t
from bot.handlers import flow, general, trigger_choices
from bot.handlers.common import Ctx, answer, current_user, say
from bot.handlers.trigger_ask import NAME, P, advance, ask, gone
from bot.handlers.trigger_choices import save_intensity
from bot.models import User
from bot.services import profile, triggers

COMMANDS = [("trigger", "Log a moment that stirred you up")]
SWITCH, RESUME = "switch", "resume"
_INTENSITY = re.compile(r"\s*(10|[0-9])\s*(?:/\s*10)?\s*")

Callback = Callable[[Update, Ctx], Coroutine[Any, Any, str | int | None]]


async def start_cmd(update: Update, ctx: Ctx) -> str | int:
    user = current_user(update, ctx)
    if not profile.is_onboarded(user):
        await say(update, ctx, t("trigger.not_onboarded"))
        return ConversationHandler.END
    if await flow.ask_switch(update, ctx, NAME, P):
        return SWITCH
    return await begin(update, ctx, user)


async def start_from_offer(update: Update, ctx: Ctx) -> str | int:
    """ "Log it now" under an offer (after an evening check-in): the same start as /trigger."""
    await flow.settle(update, ctx, NAME, t("trigger.offer_now"))
    return await start_cmd(update, ctx)


async def later(update: Update, ctx: Ctx) -> None:
    await flow.settle(update, ctx, NAME, t("trigger.offer_later"))
    await say(update, ctx, t("trigger.offer_later_reply"))


async def begin(update: Update, ctx: Ctx, user: User) -> str | int:
    draft = triggers.current(ctx.db, user.id)
    if draft is not None and draft.id is not None and triggers.has_answers(draft):
        date = f"{draft.local_date:%a} {draft.local_date.day} {draft.local_date:%b}"
        await flow.prompt(
            update,
            ctx,
            NAME,
            t(
                "trigger.resume_question",
                date=date,
                answered=triggers.answered(draft),
                total=len(triggers.STEPS),
            ),
            [
                [(t("trigger.resume_continue"), f"{P}:resume:{draft.id}")],
                [(t("trigger.resume_fresh"), f"{P}:fresh:{draft.id}")],
            ],
        )
        return RESUME
    entry = triggers.start(ctx.db, user, ctx.now())
    await say(update, ctx, t("trigger.intro"))
    return await ask(update, ctx, triggers.STEPS[0], entry)


async def switch(update: Update, ctx: Ctx) -> str | int:
    await flow.switch(update, ctx, NAME)
    return await begin(update, ctx, current_user(update, ctx))


async def stay(update: Update, ctx: Ctx) -> int:
    await flow.stay(update, ctx, NAME)
    return ConversationHandler.END


async def resume(update: Update, ctx: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, ref = query.data.split(":")
    user = current_user(update, ctx)
    entry = triggers.current(ctx.db, user.id)
    if entry is None:  # finished or put aside meanwhile
        await flow.settle(update, ctx, NAME, t("trigger.resume_gone"))
        entry = triggers.start(ctx.db, user, ctx.now())
        return await ask(update, ctx, triggers.STEPS[0], entry)
    if str(entry.id) != ref:  # an older question, or forged data: ask about the open draft
        await answer(update)
        return await begin(update, ctx, user)
    if action == "fresh":
        await flow.settle(update, ctx, NAME, t("trigger.resume_fresh"))
        entry = triggers.start_fresh(ctx.db, user, ctx.now())
        await say(update, ctx, t("trigger.fresh_started"))
        return await ask(update, ctx, triggers.STEPS[0], entry)
    await flow.settle(update, ctx, NAME, t("trigger.resume_continue"))
    return await advance(update, ctx, entry)


def skip(step: str) -> Callback:
    async def handler(update: Update, ctx: Ctx) -> str | int:
        entry = triggers.current(ctx.db, current_user(update, ctx).id)
        if entry is None or entry.id is None:
            await answer(update)
            return await gone(update, ctx)
        await flow.settle(update, ctx, NAME, t("trigger.skip"))
        saved = triggers.save(ctx.db, entry.user_id, entry.id, step, ctx.now())
        return await advance(update, ctx, saved)

    return handler


def typed(step: str) -> Callback:
    """A typed answer: verbatim for free-text steps, a label for who/where/action."""

    async def handler(update: Update, ctx: Ctx) -> str | int | None:
        text = flow.text_of(update)
        entry = triggers.current(ctx.db, current_user(update, ctx).id)
        if entry is None or entry.id is None:
            return await gone(update, ctx)
        if step in ("intensity_before", "intensity_after"):
            match = _INTENSITY.fullmatch(text)
            if match is None:
                await say(update, ctx, t("trigger.tap_a_button"))
                return None
            return await save_intensity(update, ctx, step, int(match[1]))
        if step in ("emotions", "distortions"):
            await say(update, ctx, t("trigger.tap_a_button"))
            return None
        fields: dict[str, object] = {step: text}
        if step == "action":
            fields = {"action_id": "other", "action": text}
        await flow.clear_prompt(update, ctx, NAME)
        saved = triggers.save(ctx.db, entry.user_id, entry.id, step, ctx.now(), **fields)
        return await advance(update, ctx, saved)

    return handler


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("trigger.not_text"))


async def tap_a_button(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("trigger.tap_a_button"))


async def cancel_note(update: Update, ctx: Ctx) -> str | None:
    user = update.effective_user
    if user is None:
        return None
    draft = triggers.current(ctx.db, user.id)
    return t("trigger.cancel_note") if draft is not None and triggers.has_answers(draft) else None


def build() -> ConversationHandler:  # type: ignore[type-arg]
    choices = trigger_choices.handlers()
    states: dict[object, list[BaseHandler]] = {}  # type: ignore[type-arg]
    for step in triggers.STEPS:
        states[step] = [
            CallbackQueryHandler(skip(step), pattern=rf"^{P}:skip:{step}$"),
            *choices.get(step, []),
            MessageHandler(flow.TEXT, typed(step)),
            MessageHandler(flow.OTHER, not_text),
        ]
    states[SWITCH] = [
        CallbackQueryHandler(switch, pattern=rf"^{P}:switch$"),
        CallbackQueryHandler(stay, pattern=rf"^{P}:stay$"),
        MessageHandler(flow.TEXT | flow.OTHER, tap_a_button),
    ]
    states[RESUME] = [
        CallbackQueryHandler(resume, pattern=rf"^{P}:(resume|fresh):\d{{1,18}}$"),
        MessageHandler(flow.TEXT | flow.OTHER, tap_a_button),
    ]
    return ConversationHandler(
        entry_points=[
            CommandHandler("trigger", start_cmd),
            CallbackQueryHandler(start_from_offer, pattern=rf"^{P}:start$"),
        ],
        states=states,
        fallbacks=[],
        name=NAME,
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    app.add_handler(CallbackQueryHandler(later, pattern=rf"^{P}:later$"))
    general.on_cancel(NAME, cancel_note)

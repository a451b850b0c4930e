"""/trigger: the button steps — feelings wheel, intensity, thinking traps, action, who, where.

Every choice is saved the moment it is tapped (a toggled emotion too), so a restart or /cancel
loses nothing. Ids in callback data are checked against the vocabularies; a person key is
resolved against the pressing user's own rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.content import t
from bot.engine import flow, pickers
from bot.engine.draft_flow import END
from bot.features.trigger.ask import (
    FLOW,
    NAME,
    P,
    advance,
    distortions_prompt,
    emotions_prompt,
    family_prompt,
)
from bot.handlers.common import Ctx, answer, edit_or_say
from bot.models import TriggerEntry
from bot.services import people, triggers, vocab

ID = r"[a-z][a-z0-9_]{0,15}"


def _arg(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.rsplit(":", 1)[-1]


# --- feelings wheel ----------------------------------------------------------------------------


async def show_family(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    try:
        text, rows = family_prompt(_arg(update), found[1].emotions)
    except KeyError:
        await answer(update)
        return None
    await answer(update)
    await edit_or_say(update, ctx, text, rows)
    return None


async def show_families(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    await answer(update)
    await edit_or_say(update, ctx, *emotions_prompt(found[1].emotions))
    return None


async def toggle_emotion(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    _, entry, entry_id = found
    await answer(update)
    emotion = _arg(update)
    try:
        family = pickers.emotion_family_of(emotion)
    except KeyError:
        return None
    chosen = triggers.toggled(entry.emotions, emotion)
    triggers.set_choices(ctx.db, entry.user_id, entry_id, "emotions", chosen, ctx.now())
    await edit_or_say(update, ctx, *family_prompt(family, chosen))
    return None


def _done(
    step: str, chosen_text: Callable[[TriggerEntry], str], nothing_key: str
) -> Callable[[Update, Ctx], Coroutine[Any, Any, str | int]]:
    """The Done button of a multiple choice (emotions, thinking traps): what was chosen is
    shown under the question and the step is saved (the choices already are)."""

    async def handler(update: Update, ctx: Ctx) -> str | int:
        found = await FLOW.draft(update, ctx)
        if found is None:
            return END
        _, entry, entry_id = found
        chosen = chosen_text(entry) or t(nothing_key)
        await flow.settle(update, ctx, NAME, chosen, t(f"trigger.ask_{step}"))
        saved = triggers.save(ctx.db, entry.user_id, entry_id, step, ctx.now())
        return await advance(update, ctx, saved)

    return handler


emotions_done = _done("emotions", lambda e: triggers.emotions_text(e.emotions), "trigger.skip")


# --- intensity ---------------------------------------------------------------------------------


async def save_intensity(update: Update, ctx: Ctx, step: str, value: int) -> str | int:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    _, entry, entry_id = found
    if update.callback_query is not None:
        await flow.settle(update, ctx, NAME, f"{value}/10")
    else:
        await flow.clear_prompt(update, ctx, NAME)
    saved = triggers.save(ctx.db, entry.user_id, entry_id, step, ctx.now(), **{step: value})
    return await advance(update, ctx, saved)


async def intensity_before(update: Update, ctx: Ctx) -> str | int:
    return await save_intensity(update, ctx, "intensity_before", int(_arg(update)))


async def intensity_after(update: Update, ctx: Ctx) -> str | int:
    return await save_intensity(update, ctx, "intensity_after", int(_arg(update)))


# --- thinking traps ----------------------------------------------------------------------------


def _info_shown(update: Update) -> bool:
    query = update.callback_query
    text = getattr(query.message, "text", None) if query is not None else None
    return bool(text) and t("trigger.distortions_info_heading") in str(text)


async def toggle_distortion(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    _, entry, entry_id = found
    await answer(update)
    distortion = _arg(update)
    try:
        vocab.distortion(distortion)
    except KeyError:
        return None
    chosen = triggers.toggled(entry.distortions, distortion)
    triggers.set_choices(ctx.db, entry.user_id, entry_id, "distortions", chosen, ctx.now())
    await edit_or_say(update, ctx, *distortions_prompt(chosen, _info_shown(update)))
    return None


async def distortion_info(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    await answer(update)
    show = _arg(update) == "dinfo"
    await edit_or_say(update, ctx, *distortions_prompt(found[1].distortions, show))
    return None


distortions_done = _done(
    "distortions", lambda e: triggers.distortions_text(e.distortions), "trigger.none_fit"
)


# --- action, who, where ------------------------------------------------------------------------


async def pick_action(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    _, entry, entry_id = found
    try:
        chosen = vocab.option("actions", _arg(update))
    except KeyError:
        await answer(update)
        return None
    await flow.settle(update, ctx, NAME, chosen.label)
    if chosen.id == "other":
        await flow.prompt(update, ctx, NAME, t("trigger.ask_action_other"))
        return None
    saved = triggers.save(
        ctx.db, entry.user_id, entry_id, "action", ctx.now(), action_id=chosen.id, action=None
    )
    return await advance(update, ctx, saved)


async def pick_person(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    _, entry, entry_id = found
    label = people.resolve(ctx.db, entry.user_id, _arg(update))
    if label is None:
        await answer(update)
        return None
    await flow.settle(update, ctx, NAME, label)
    saved = triggers.save(ctx.db, entry.user_id, entry_id, "person", ctx.now(), person=label)
    return await advance(update, ctx, saved)


async def pick_context(update: Update, ctx: Ctx) -> str | int | None:
    found = await FLOW.draft(update, ctx)
    if found is None:
        return END
    _, entry, entry_id = found
    try:
        label = vocab.option("contexts", _arg(update)).label
    except KeyError:
        await answer(update)
        return None
    await flow.settle(update, ctx, NAME, label)
    saved = triggers.save(ctx.db, entry.user_id, entry_id, "context", ctx.now(), context=label)
    return await advance(update, ctx, saved)


def handlers() -> dict[str, list[BaseHandler]]:  # type: ignore[type-arg]
    """The button handlers of each step (the state), besides Skip and typed answers."""
    return {
        "emotions": [
            CallbackQueryHandler(show_family, pattern=rf"^{P}:fam:{ID}$"),
            CallbackQueryHandler(show_families, pattern=rf"^{P}:fams$"),
            CallbackQueryHandler(toggle_emotion, pattern=rf"^{P}:emo:{ID}$"),
            CallbackQueryHandler(emotions_done, pattern=rf"^{P}:emodone$"),
        ],
        "intensity_before": [
            CallbackQueryHandler(intensity_before, pattern=rf"^{P}:ib:(10|[0-9])$")
        ],
        "distortions": [
            CallbackQueryHandler(toggle_distortion, pattern=rf"^{P}:dis:{ID}$"),
            CallbackQueryHandler(distortion_info, pattern=rf"^{P}:(dinfo|dhide)$"),
            CallbackQueryHandler(distortions_done, pattern=rf"^{P}:ddone$"),
        ],
        "action": [CallbackQueryHandler(pick_action, pattern=rf"^{P}:act:{ID}$")],
        "intensity_after": [CallbackQueryHandler(intensity_after, pattern=rf"^{P}:ia:(10|[0-9])$")],
        "person": [CallbackQueryHandler(pick_person, pattern=rf"^{P}:who:[vtr]\.[a-z0-9_]+$")],
        "context": [CallbackQueryHandler(pick_context, pattern=rf"^{P}:ctx:{ID}$")],
    }

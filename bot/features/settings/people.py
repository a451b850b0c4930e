"""/settings → People: the person labels the user wrote across Steady, and merging two of them.

One list across every feature (bot/services/people.py): the same "Sam" in thought records,
repair plans and moments noticed. When one person was written two ways ("sam" and "Sam", "Mum"
and "Mother"), the user merges one into the other here and every entry naming it follows, so the
moments noticed with them come back as evidence whichever way they were written. The buttons
carry the labels' keys (never what the user wrote), resolved against the pressing user's own
rows. Renaming ("sammy" → "Sam W.") asks for the new name as a typed step of the /settings
conversation (handlers.py), so /cancel, a pause for care, and a restart behave as in any step.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler

from bot.content import t
from bot.engine import flow, pickers
from bot.handlers.common import Button, Ctx, answer, drop_buttons, edit_or_say, onboarded_user
from bot.services import people

P = "pe"
KEY = people.KEY
ASK_RENAME = "rename"
_RENAMING = "people_renaming"  # user_data: the key of the label being renamed


def keep_button() -> Button:
    """ "Keep as it is", in the user's language (so built per message, not at import)."""
    return (t("common.keep"), "st:keep")


def _rows(options: list[tuple[str, str]], action: str) -> list[list[Button]]:
    rows = pickers.choice_rows(P, action, options, 2)
    rows.append([(t("settings.people_done"), f"{P}:done")])
    return rows


async def show(update: Update, ctx: Ctx) -> None:
    """The user's own labels, each a button that asks what to merge it into."""
    await answer(update)
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    if user is None:
        return
    own = [(c.key, c.label) for c in people.own(ctx.db, user.id)]
    if not own:
        await edit_or_say(update, ctx, t("settings.people_none"), [])
        return
    await edit_or_say(update, ctx, t("settings.people_intro"), _rows(own, "from"))


async def pick_source(update: Update, ctx: Ctx) -> None:
    await answer(update)
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    query = update.callback_query
    if user is None or query is None or query.data is None:
        return
    key = query.data.rsplit(":", 1)[-1]
    label = people.resolve(ctx.db, user.id, key)
    if label is None:
        await edit_or_say(update, ctx, t("settings.people_gone"), [])
        return
    targets = [
        (f"{key}:{c.key}", c.label)
        for c in people.choices(ctx.db, user.id)
        if not people.same_person(c.label, label)
    ]
    rows = _rows(targets, "into")
    rows.insert(0, [(t("settings.people_rename", label=label), f"{P}:rename:{key}")])
    await edit_or_say(update, ctx, t("settings.people_merge_into", label=label), rows)


async def ask_rename(update: Update, ctx: Ctx) -> str | int:
    """Entry of the /settings conversation: ask for the new name of the tapped label."""
    await answer(update)
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    query = update.callback_query
    if user is None or query is None or query.data is None or ctx.user_data is None:
        return ConversationHandler.END
    key = query.data.rsplit(":", 1)[-1]
    label = people.resolve(ctx.db, user.id, key)
    if label is None:
        await edit_or_say(update, ctx, t("settings.people_gone"), [])
        return ConversationHandler.END
    await drop_buttons(update)
    ctx.user_data[_RENAMING] = key
    await flow.prompt(
        update, ctx, "settings", t("settings.people_ask_rename", label=label), [[keep_button()]]
    )
    return ASK_RENAME


async def ask_rename_again(update: Update, ctx: Ctx) -> str | int:
    """After a pause for care, or a restart: the same question, or a kind word if the label
    it was about is gone."""
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    key = ctx.user_data.get(_RENAMING) if ctx.user_data is not None else None
    label = people.resolve(ctx.db, user.id, key) if user is not None and key else None
    if label is None:
        await edit_or_say(update, ctx, t("settings.people_rename_lost"), [])
        return ConversationHandler.END
    await flow.prompt(
        update, ctx, "settings", t("settings.people_ask_rename", label=label), [[keep_button()]]
    )
    return ASK_RENAME


async def rename_text(update: Update, ctx: Ctx) -> str | int:
    """The typed new name: every entry naming the old label names it instead."""
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    message = update.effective_message
    if user is None or message is None or ctx.user_data is None:
        return ConversationHandler.END
    typed = people.clean_label(message.text or "")
    if not typed:
        await flow.prompt(
            update, ctx, "settings", t("settings.people_rename_empty"), [[keep_button()]]
        )
        return ASK_RENAME
    key = ctx.user_data.get(_RENAMING)
    source = people.resolve(ctx.db, user.id, key) if isinstance(key, str) else None
    await flow.clear_prompt(update, ctx, "settings")
    if source is None:
        await edit_or_say(update, ctx, t("settings.people_rename_lost"), [])
        return ConversationHandler.END
    ctx.user_data.pop(_RENAMING, None)
    if not people.rename(ctx.db, user.id, source, typed, ctx.now()):
        await edit_or_say(update, ctx, t("settings.unchanged"), [])
        return ConversationHandler.END
    await edit_or_say(update, ctx, t("settings.people_renamed", source=source, target=typed), [])
    return ConversationHandler.END


async def merge(update: Update, ctx: Ctx) -> None:
    await answer(update)
    user = await onboarded_user(update, ctx, "settings.not_onboarded")
    query = update.callback_query
    if user is None or query is None or query.data is None:
        return
    _, _, source_key, target_key = query.data.split(":", 3)
    source = people.resolve(ctx.db, user.id, source_key)
    target = people.resolve(ctx.db, user.id, target_key)
    if source is None or target is None:
        await edit_or_say(update, ctx, t("settings.people_gone"), [])
        return
    people.merge(ctx.db, user.id, source, target, ctx.now())
    await edit_or_say(update, ctx, t("settings.people_merged", source=source, target=target), [])


async def done(update: Update, ctx: Ctx) -> None:
    await answer(update)
    await drop_buttons(update)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(show, pattern=rf"^{P}:list$"))
    app.add_handler(CallbackQueryHandler(pick_source, pattern=rf"^{P}:from:{KEY}$"))
    app.add_handler(CallbackQueryHandler(merge, pattern=rf"^{P}:into:{KEY}:{KEY}$"))
    app.add_handler(CallbackQueryHandler(done, pattern=rf"^{P}:done$"))

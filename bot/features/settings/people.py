"""/settings → People: the person labels the user wrote across Steady, and merging two of them.

One list across every feature (bot/services/people.py): the same "Sam" in thought records,
repair plans and moments noticed. When one person was written two ways ("sam" and "Sam", "Mum"
and "Mother"), the user merges one into the other here and every entry naming it follows, so the
moments noticed with them come back as evidence whichever way they were written. The buttons
carry the labels' keys (never what the user wrote), resolved against the pressing user's own
rows; nothing here keeps a conversation open.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.content import t
from bot.engine import pickers
from bot.handlers.common import Button, Ctx, answer, drop_buttons, edit_or_say, onboarded_user
from bot.services import people

P = "pe"
KEY = people.KEY


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
    await edit_or_say(
        update, ctx, t("settings.people_merge_into", label=label), _rows(targets, "into")
    )


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

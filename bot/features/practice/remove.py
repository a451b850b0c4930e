"""My ladder → "Take a rung off": a rung that no longer fits leaves the ladder (its status
becomes closed); the practices logged on it stay, in /history and the summary. Stateless
buttons carrying the rung's id, resolved against the pressing user's own rows."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.content import t
from bot.engine import pickers
from bot.handlers.common import Button, Ctx, answer, edit_or_say, onboarded_user
from bot.services import practice

P = "pr"  # the /practice menu's prefix (menu.P)
NOT_ONBOARDED = "practice.not_onboarded"


def button() -> Button:
    """On "My ladder": the way in."""
    return (t("practice.off_button"), f"{P}:off")


def _done() -> list[Button]:
    return [(t("practice.menu_ladder"), f"{P}:ladder")]


async def choose(update: Update, ctx: Ctx) -> None:
    """Which rung to take off: one button per rung on the ladder."""
    await answer(update)
    user = await onboarded_user(update, ctx, NOT_ONBOARDED)
    if user is None:
        return
    rungs = [(str(r.id), r.text or "…") for r in practice.ladder(ctx.db, user.id)]
    if not rungs:
        await edit_or_say(update, ctx, t("practice.off_none"), [_done()])
        return
    rows = pickers.choice_rows(P, "off", rungs, 1, limit=64)  # one a row: room for the words
    rows.append(_done())
    await edit_or_say(update, ctx, t("practice.off_which"), rows)


async def _pressed(update: Update, ctx: Ctx) -> tuple[int, int] | None:
    """(user id, the rung id the button carries) for an onboarded user's press."""
    await answer(update)
    user = await onboarded_user(update, ctx, NOT_ONBOARDED)
    query = update.callback_query
    if user is None or query is None or query.data is None:
        return None
    return user.id, int(query.data.rsplit(":", 1)[-1])


async def confirm(update: Update, ctx: Ctx) -> None:
    pressed = await _pressed(update, ctx)
    if pressed is None:
        return
    rung = practice.rung(ctx.db, *pressed)
    if rung is None or rung.id is None:
        await edit_or_say(update, ctx, t("practice.off_gone"), [_done()])
        return
    rows = [
        [(t("practice.off_yes"), f"{P}:offyes:{rung.id}")],
        [(t("practice.off_keep"), f"{P}:ladder")],
    ]
    await edit_or_say(update, ctx, t("practice.off_confirm", rung=rung.text or "…"), rows)


async def take_off(update: Update, ctx: Ctx) -> None:
    pressed = await _pressed(update, ctx)
    if pressed is None:
        return
    rung = practice.take_off(ctx.db, *pressed, ctx.now())
    if rung is None:
        await edit_or_say(update, ctx, t("practice.off_gone"), [_done()])
        return
    await edit_or_say(update, ctx, t("practice.off_done", rung=rung.text or "…"), [_done()])


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(choose, pattern=rf"^{P}:off$"))
    app.add_handler(CallbackQueryHandler(confirm, pattern=rf"^{P}:off:\d{{1,12}}$"))
    app.add_handler(CallbackQueryHandler(take_off, pattern=rf"^{P}:offyes:\d{{1,12}}$"))

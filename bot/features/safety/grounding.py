"""A grounding exercise, step by step with buttons: 5-4-3-2-1 with the senses, or slow breathing.

Offered under /sos and at the end of a thought record whose re-rated intensity is still 8 or
more. Stateless: each step's button carries the next step (``gr:s:<n>`` senses counting down,
``gr:b:<n>`` breathing rounds, ``gr:how`` the closing question), and the message is edited in
place, so it never touches the conversation the user is in. "Still very hard" answers with
the user's own safety plan and the resources, as /sos does.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.content import t
from bot.content.keys import Family
from bot.handlers.common import Button, Ctx, answer, edit_or_say, say
from bot.services import care, safetyplan
from bot.store import safetyplans, users

P = "gr"
ROUNDS = 3  # slow breaths
STILL_STRONG = 8  # a thought record ending at this intensity or above offers grounding
#: 5-4-3-2-1: one sense per step, counting down.
SENSES = Family("grounding.senses.{}", tuple(str(n) for n in range(5, 0, -1)))


def offer_rows() -> list[list[Button]]:
    return [[(t("grounding.offer"), f"{P}:start")]]


def _stop_row() -> list[Button]:
    return [(t("grounding.stop"), f"{P}:stop")]


def _step(data: str) -> tuple[str, list[list[Button]]]:
    """The text and buttons of the step named by callback data."""
    if data == f"{P}:start":
        rows = [
            [(t("grounding.senses_button"), f"{P}:s:5")],
            [(t("grounding.breathing_button"), f"{P}:b:1")],
        ]
        return t("grounding.choose"), rows
    kind, _, raw = data.removeprefix(f"{P}:").partition(":")
    number = int(raw) if raw.isdigit() else 0
    if kind == "s" and 1 <= number <= 5:
        following = f"{P}:s:{number - 1}" if number > 1 else f"{P}:how"
        return t(f"grounding.senses.{number}"), [[(t("grounding.next"), following)], _stop_row()]
    if kind == "b" and 1 <= number <= ROUNDS:
        text = t("grounding.breathing.round", n=number, total=ROUNDS)
        if number == 1:
            text = f"{t('grounding.breathing.intro')}\n\n{text}"
        following = f"{P}:b:{number + 1}" if number < ROUNDS else f"{P}:how"
        return text, [[(t("grounding.breathe_next"), following)], _stop_row()]
    rows = [[(t("grounding.calmer"), f"{P}:calmer")], [(t("grounding.still_hard"), f"{P}:hard")]]
    return t("grounding.ask_after"), rows


async def step(update: Update, ctx: Ctx) -> None:
    query = await answer(update)
    assert query is not None and query.data is not None
    await edit_or_say(update, ctx, *_step(query.data))


async def close(update: Update, ctx: Ctx) -> None:
    query = await answer(update)
    assert query is not None and query.data is not None
    choice = query.data.removeprefix(f"{P}:")
    if choice == "calmer":
        await edit_or_say(update, ctx, t("grounding.calmer_reply"))
        return
    if choice == "stop":
        await edit_or_say(update, ctx, t("grounding.stopped"))
        return
    await edit_or_say(update, ctx, t("grounding.hard_reply"))
    tg_user = update.effective_user
    stored = users.get(ctx.db, tg_user.id) if tg_user is not None else None
    plan = safetyplan.sections(safetyplans.get(ctx.db, stored.id)) if stored else None
    language = tg_user.language_code if tg_user is not None else None
    zone = stored.timezone if stored is not None else None
    await say(update, ctx, care.sos_text(plan, language, zone))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(step, pattern=rf"^{P}:(start|s:[1-5]|b:[1-9]|how)$"))
    app.add_handler(CallbackQueryHandler(close, pattern=rf"^{P}:(calmer|hard|stop)$"))

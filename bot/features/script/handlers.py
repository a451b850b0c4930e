"""/script: repair-script templates on demand, and a check of an "I" statement.

``/script`` shows the menu; ``/script repair``, ``/script istatement``, … go straight to one
(unknown names get the menu with a kind note). With a repair planned in the last 30 days the
repair template can be filled with the user's own words. ``/script istatement`` (or the
"Check a sentence" button) waits for a sentence and runs the "I"-statement coach over it.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.content import data, i18n, t
from bot.engine import aftercare, flow
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    callback_id,
    current_user,
    open_conversations,
    say,
)
from bot.models import RepairPlan
from bot.services import coach, repairs, scripts
from bot.services.textsplit import clip, split_text
from bot.store import repairs as repair_store

NAME = "script"
P = "sc"
CHECK = "check"
ID = r"[a-z][a-z0-9_]{0,15}"
PERSON_CLIP = 24
_I_FORM = re.compile(r"\bi(?:\s+|['’]m\s+)(?:feel|felt|am\s+feeling|was\s+feeling|feeling)\b", re.I)


def template_id(name: str) -> str | None:
    """The template a typed name refers to ("heads-up", "I", "follow-up"…), or None."""
    key = name.strip().strip("\"'“”«»<>/").casefold()
    aliases: dict[str, str] = data("script.aliases")
    return aliases.get(key)


def _mine_label(plan: RepairPlan) -> str:
    day = plan.local_date
    date = i18n.short_date(day)
    person = coach.clean_part(plan.person)
    if person:
        return t("script.mine_button_for", person=clip(person, PERSON_CLIP), when=date)
    return t("script.mine_button", when=date)


def menu_rows(ctx: Ctx, user_id: int) -> list[list[Button]]:
    rows: list[list[Button]] = [[(item.title, f"{P}:t:{item.id}")] for item in scripts.templates()]
    plan = repairs.recent_plan(ctx.db, user_id, ctx.now())
    if plan is not None and plan.id is not None:
        rows.insert(0, [(_mine_label(plan), f"{P}:mine:{plan.id}")])
    return rows


async def show_menu(update: Update, ctx: Ctx, intro: str | None = None) -> None:
    user = current_user(update, ctx)
    await say(update, ctx, intro or t("script.menu"), menu_rows(ctx, user.id))


async def show_template(update: Update, ctx: Ctx, which: str) -> None:
    user = current_user(update, ctx)
    rows: list[list[Button]] = []
    if which == "repair":
        plan = repairs.recent_plan(ctx.db, user.id, ctx.now())
        if plan is not None and plan.id is not None:
            rows.append([(t("script.mine_fill"), f"{P}:mine:{plan.id}")])
    if which == "istatement":
        rows.append([(t("script.check_button"), f"{P}:check")])
    rows.append([(t("script.menu_button"), f"{P}:menu")])
    await say(update, ctx, scripts.render_template(which), rows)


def _busy(update: Update, ctx: Ctx) -> bool:
    return any(n != NAME for n in open_conversations(ctx.application, update))


async def ask_sentence(update: Update, ctx: Ctx) -> str | int:
    if _busy(update, ctx):
        await say(update, ctx, t("script.check_busy"))
        return ConversationHandler.END
    await flow.prompt(
        update, ctx, NAME, t("script.check_ask"), [[(t("script.never_mind"), f"{P}:stop")]]
    )
    return CHECK


async def check(update: Update, ctx: Ctx, sentence: str) -> int:
    await flow.clear_prompt(update, ctx, NAME)
    reply = coach.coach_reply(sentence) or (
        t("script.check_clean") if _I_FORM.search(sentence) else t("script.check_no_blame")
    )
    await say(update, ctx, reply, [[(t("script.check_again"), f"{P}:check")]])
    return ConversationHandler.END


async def script_cmd(update: Update, ctx: Ctx) -> str | int:
    current_user(update, ctx)
    text = flow.text_of(update)
    parts = text.split(maxsplit=2)
    if len(parts) < 2:
        await show_menu(update, ctx)
        return ConversationHandler.END
    which = template_id(parts[1])
    if which is None:
        shown = clip(" ".join(parts[1].split()), 40)
        await show_menu(update, ctx, t("script.unknown", name=shown))
        return ConversationHandler.END
    if which == "istatement" and len(parts) == 3:
        return await check(update, ctx, parts[2])
    await show_template(update, ctx, which)
    if which == "istatement" and not _busy(update, ctx):
        return await ask_sentence(update, ctx)
    return ConversationHandler.END


async def check_button(update: Update, ctx: Ctx) -> str | int:
    await answer(update)
    current_user(update, ctx)
    return await ask_sentence(update, ctx)


async def typed_sentence(update: Update, ctx: Ctx) -> int:
    return await check(update, ctx, flow.text_of(update))


async def stop(update: Update, ctx: Ctx) -> int:
    await flow.settle(update, ctx, NAME, t("script.never_mind"))
    await say(update, ctx, t("script.stopped"))
    return ConversationHandler.END


async def not_text(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("script.not_text"))


async def template_button(update: Update, ctx: Ctx) -> None:
    query = await answer(update)
    assert query is not None and query.data is not None
    which = query.data.rsplit(":", 1)[-1]
    try:
        scripts.template(which)
    except KeyError:
        await show_menu(update, ctx)
        return
    await show_template(update, ctx, which)


async def menu_button(update: Update, ctx: Ctx) -> None:
    await answer(update)
    await show_menu(update, ctx)


async def mine_button(update: Update, ctx: Ctx) -> None:
    query = await answer(update)
    assert query is not None and query.data is not None
    user = current_user(update, ctx)
    plan_id = callback_id(update)
    plan = None if plan_id is None else repair_store.get(ctx.db, user.id, plan_id)
    if plan is None or plan.status != repair_store.COMPLETED:
        await show_menu(update, ctx, t("script.mine_gone"))
        return
    for part in split_text(repairs.script(plan)):
        await say(update, ctx, part)


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    """After a pause (aftercare.py): ask for a sentence again. (A sentence is never stored, so
    the one that carried crisis language is not looked at by the coach.)"""
    if state != CHECK:
        return ConversationHandler.END
    return await ask_sentence(update, ctx)


def build() -> ConversationHandler:  # type: ignore[type-arg]
    return flow.conversation(
        NAME,
        [
            CommandHandler("script", script_cmd),
            CallbackQueryHandler(check_button, pattern=rf"^{P}:check$"),
        ],
        {
            CHECK: flow.typed_step(
                typed_sentence, not_text, CallbackQueryHandler(stop, pattern=rf"^{P}:stop$")
            )
        },
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(build())
    aftercare.register(NAME, resume)
    app.add_handler(CallbackQueryHandler(template_button, pattern=rf"^{P}:t:{ID}$"))
    app.add_handler(CallbackQueryHandler(menu_button, pattern=rf"^{P}:menu$"))
    app.add_handler(CallbackQueryHandler(mine_button, pattern=rf"^{P}:mine:\d{{1,18}}$"))

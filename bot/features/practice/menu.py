"""/practice: the closeness ladder's menu (build, log, plan, my ladder) and "My ladder"."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine import flow
from bot.engine.guided import Guided
from bot.features.practice import ladder, log, plan, remove
from bot.handlers.common import Button, Ctx, answer, onboarded_user, say
from bot.services import practice
from bot.services.practice_text import ladder_text

P = ladder.MENU  # "pr:<build|log|plan|ladder>"
NOT_ONBOARDED = "practice.not_onboarded"


def menu_rows() -> list[list[Button]]:
    return [
        [(t("practice.menu_build"), f"{P}:build")],
        [(t("practice.menu_log"), f"{P}:log"), (t("practice.menu_plan"), f"{P}:plan")],
        [(t("practice.menu_ladder"), f"{P}:ladder")],
    ]


async def show_menu(update: Update, ctx: Ctx) -> None:
    if await onboarded_user(update, ctx, NOT_ONBOARDED) is not None:
        await say(update, ctx, t("practice.menu"), menu_rows())


async def show_ladder(update: Update, ctx: Ctx) -> None:
    await answer(update)
    user = await onboarded_user(update, ctx, NOT_ONBOARDED)
    if user is not None:
        progress = practice.progress(ctx.db, user.id)
        rows = ladder.more_rows() + ([[remove.button()]] if progress else [])
        await say(update, ctx, ladder_text(progress), rows)


#: The menu's buttons that open a conversation.
OPENS = Family("practice.menu_{}", ("build", "log", "plan"))


def opener(guided: Guided[Any], action: str, needs_rungs: bool) -> flow.Callback:
    """A menu button starting ``guided`` (logging and planning need a rung first)."""

    async def start(update: Update, ctx: Ctx) -> str | int:
        user = await onboarded_user(update, ctx, NOT_ONBOARDED)
        if user is None:
            return flow.ConversationHandler.END
        await flow.settle(update, ctx, guided.name, t(f"practice.menu_{action}"))
        if needs_rungs and not practice.ladder(ctx.db, user.id):
            await say(
                update, ctx, t("practice.empty_first"), [[(t("practice.menu_build"), f"{P}:build")]]
            )
            return flow.ConversationHandler.END
        return await guided.start_cmd(update, ctx)

    return start


def entry(guided: Guided[Any], action: str, needs_rungs: bool) -> CallbackQueryHandler:  # type: ignore[type-arg]
    """The menu button ``<P>:<action>`` as an entry point of ``guided``'s conversation."""
    return CallbackQueryHandler(opener(guided, action, needs_rungs), pattern=rf"^{P}:{action}$")


BUILD = (ladder.FLOW, "build", False)
LOG = (log.FLOW, "log", True)
PLAN = (plan.FLOW, "plan", True)

"""The check-ins on the step engine: the morning and evening steps (morning.py, evening.py)
in one conversation, driven in place (bot/engine/inplace.py: each button's answer becomes the
next question, the open check-in records the step it waits for)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.engine.guided import Found
from bot.engine.inplace import InPlace
from bot.features.checkin import evening, morning
from bot.features.checkin.prompts import NAME
from bot.handlers.common import Ctx, current_user, say
from bot.models import CheckIn, User
from bot.services import checkins
from bot.services.due import MORNING
from bot.store import checkins as store

END = ConversationHandler.END


def find(update: Update, ctx: Ctx) -> Found | None:
    """The user and their open check-in, in one query (every step reads it)."""
    tg_user = update.effective_user
    assert tg_user is not None
    both = store.user_and_open_draft(ctx.db, tg_user.id)
    if both is None:  # first contact: created, and nothing open yet
        current_user(update, ctx)
        return None
    user = current_user(update, ctx, known=both[0])
    return None if both[1] is None else Found(user, both[1])


def belongs(checkin: CheckIn, step: str) -> bool:
    """A morning step belongs to a morning check-in, an evening step to an evening one."""
    return (checkin.kind == MORNING) == step.startswith("m_")


def save(ctx: Ctx, found: Found, step: str, value: object) -> str | None:
    kind = morning if step.startswith("m_") else evening
    return kind.save(ctx, found, step, value)


async def finish(update: Update, ctx: Ctx, user: User, checkin: CheckIn, last: object) -> int:
    if checkin.kind == MORNING:
        await say(update, ctx, checkins.finish(ctx.db, user, checkin, ctx.now()))
        return END
    return await evening.finish(update, ctx, user, checkin)


def choose(ctx: Ctx, checkin: CheckIn, field: str, values: list[str]) -> None:
    """A feeling tapped on the wheel, stored at once."""
    checkins.choose(ctx.db, checkin, field, values, ctx.now())


FLOW: InPlace[CheckIn] = InPlace(
    NAME,
    "ci",
    # The in-place mode asks no continue-or-fresh: the service's start is the feature's own.
    checkins,  # type: ignore[arg-type]
    (*morning.STEPS, *evening.STEPS),
    save,
    finish,
    choose,
    find=find,
    belongs=belongs,  # type: ignore[arg-type]
    questions={evening.E_KEPT: evening.kept_question},
    lead=evening.lead,
)

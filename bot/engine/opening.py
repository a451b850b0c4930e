"""Before and around a guided conversation's steps: starting it (after asking to switch away
from another open conversation), offering to continue the open draft or start fresh, the
note /cancel adds, and carrying on after a pause (bot/engine/aftercare.py). ``Guided``
(guided.py) is an ``Opening`` with its steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import EllipsisType
from typing import Any, Generic, Protocol, TypeVar

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import i18n, t
from bot.content.keys import Family
from bot.engine import flow
from bot.handlers.common import Button, Ctx, answer, current_user, onboarded_user, say
from bot.models import User
from bot.store.db import Database

SWITCH, RESUME = "switch", "resume"
END = ConversationHandler.END

R = TypeVar("R")


#: The texts a guided conversation looks up in its feature's own section (``<name>.intro`` …).
TEXTS = (
    "not_onboarded",
    "intro",
    "resume_question",
    "resume_continue",
    "resume_fresh",
    "resume_gone",
    "fresh_started",
    "not_text",
    "tap_a_button",
    "cancel_note",
    "skip",
)


def texts(name: str) -> tuple[Family, ...]:
    """The key families of the guided conversation ``name`` (its feature lists them in
    ``texts``)."""
    return tuple(Family(f"{{}}.{text}", (name,)) for text in TEXTS) + flow.texts(name)


class Service(Protocol[R]):
    """The feature's service module (services/triggers.py, services/repairs.py)."""

    STEPS: tuple[str, ...]

    def next_step(self, step: str | None) -> str | None: ...
    def current(self, db: Database, user_id: int) -> R | None: ...
    def user_and_current(self, db: Database, user_id: int) -> tuple[User, R | None] | None: ...
    def has_answers(self, row: R) -> bool: ...
    def answered(self, row: R) -> int: ...
    def start(
        self, db: Database, user: User, now: datetime, found: R | None | EllipsisType = ...
    ) -> R: ...
    def start_fresh(self, db: Database, user: User, now: datetime) -> R: ...


class Opening(Generic[R]):
    """What ``Guided`` provides to these methods (it is a dataclass with these fields)."""

    name: str
    prefix: str
    service: Service[R]
    steps: tuple[Any, ...]

    def key(self, suffix: str) -> str:
        return f"{self.name}.{suffix}"

    async def prompt(
        self, update: Update, ctx: Ctx, text: str, rows: Sequence[Sequence[Button]] = ()
    ) -> None:
        await flow.prompt(update, ctx, self.name, text, rows)

    async def settle(
        self, update: Update, ctx: Ctx, choice: str, question: str | None = None
    ) -> None:
        await flow.settle(update, ctx, self.name, choice, question)

    async def ask(self, update: Update, ctx: Ctx, name: str, row: R) -> str:
        raise NotImplementedError

    async def advance(
        self, update: Update, ctx: Ctx, user: User, row: R | None, last: object = None
    ) -> str | int:
        raise NotImplementedError

    async def start_cmd(self, update: Update, ctx: Ctx) -> str | int:
        user = await onboarded_user(update, ctx, self.key("not_onboarded"))
        if user is None:
            return END
        if await flow.ask_switch(update, ctx, self.name, self.prefix):
            return SWITCH
        return await self.begin(update, ctx, user)

    async def begin(self, update: Update, ctx: Ctx, user: User) -> str | int:
        """Offer to continue the open draft (if it has answers), or start with the first step."""
        p, service = self.prefix, self.service
        draft: Any = service.current(ctx.db, user.id)
        if draft is not None and draft.id is not None and service.has_answers(draft):
            day = draft.local_date
            await self.prompt(
                update,
                ctx,
                t(
                    self.key("resume_question"),
                    date=i18n.day_month(day),  # CLDR, in the reader's language
                    answered=service.answered(draft),
                    total=len(self.steps),
                ),
                [
                    [(t(self.key("resume_continue")), f"{p}:resume:{draft.id}")],
                    [(t(self.key("resume_fresh")), f"{p}:fresh:{draft.id}")],
                ],
            )
            return RESUME
        first = self.steps[0].name
        with flow.carrying(update, ctx, self.name, first):  # (a new draft: one statement)
            row = service.start(ctx.db, user, ctx.now(), draft)  # (the draft as just read)
        await say(update, ctx, t(self.key("intro")))
        return await self.ask(update, ctx, first, row)

    async def switch(self, update: Update, ctx: Ctx) -> str | int:
        await flow.switch(update, ctx, self.name)
        return await self.begin(update, ctx, current_user(update, ctx))

    async def stay(self, update: Update, ctx: Ctx) -> int:
        await flow.stay(update, ctx, self.name)
        return END

    async def resume(self, update: Update, ctx: Ctx) -> str | int:
        """ "Continue" or "Start fresh" under the question ``begin`` asked."""
        query = update.callback_query
        assert query is not None and query.data is not None
        _, action, ref = query.data.split(":")
        first = self.steps[0].name
        user = current_user(update, ctx)
        row: Any = self.service.current(ctx.db, user.id)
        if row is None:  # finished or put aside meanwhile
            await self.settle(update, ctx, t(self.key("resume_gone")))
            return await self.ask(update, ctx, first, self.service.start(ctx.db, user, ctx.now()))
        if str(row.id) != ref:  # an older question, or forged data: ask about the open draft
            await answer(update)
            return await self.begin(update, ctx, user)
        if action == "fresh":
            await self.settle(update, ctx, t(self.key("resume_fresh")))
            row = self.service.start_fresh(ctx.db, user, ctx.now())
            await say(update, ctx, t(self.key("fresh_started")))
            return await self.ask(update, ctx, first, row)
        await self.settle(update, ctx, t(self.key("resume_continue")))
        return await self.advance(update, ctx, user, row)

    async def cancel_note(self, update: Update, ctx: Ctx) -> str | None:
        """What /cancel adds: the draft with answers is kept for next time."""
        user = update.effective_user
        if user is None:
            return None
        draft = self.service.current(ctx.db, user.id)
        if draft is not None and self.service.has_answers(draft):
            return t(self.key("cancel_note"))
        return None

    async def resume_paused(self, update: Update, ctx: Ctx, state: str) -> str | int:
        """Carry on after a pause: the open question again, found from the draft."""
        user = current_user(update, ctx)
        if state == SWITCH and await flow.ask_switch(update, ctx, self.name, self.prefix):
            return SWITCH
        if state in (SWITCH, RESUME):
            return await self.begin(update, ctx, user)
        row = self.service.current(ctx.db, user.id)
        if row is None or getattr(row, "id", None) is None:
            return await flow.gone(update, ctx, self.name)
        return await self.advance(update, ctx, user, row)

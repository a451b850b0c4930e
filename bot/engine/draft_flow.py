"""What /trigger and /repair share: a flow that fills one draft, a step at a time.

Starting (after asking to switch away from another open conversation), offering to continue
the open draft or start fresh, finding the draft a button or answer belongs to, and the note
/cancel adds. Texts come from the feature's own content section (``<name>.intro`` …).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.content import i18n, t
from bot.engine import aftercare, flow
from bot.handlers.common import Ctx, answer, current_user, onboarded_user, say
from bot.models import RepairPlan, TriggerEntry, User
from bot.services import drafts
from bot.store.db import Database

SWITCH, RESUME = "switch", "resume"
END = ConversationHandler.END

R = TypeVar("R", TriggerEntry, RepairPlan)

#: Handles an update at a step: (update, ctx, the step, the user, their open draft, its id).
StepHandler = Callable[[Update, Ctx, str, User, R, int], Awaitable[str | int | None]]
#: Keeps a typed answer of a free-text step: (ctx, the open draft, its id, the step, the text).
KeepAnswer = Callable[[Ctx, R, int, str, str], object]


class Service(Protocol[R]):
    """The feature's service module (services/triggers.py, services/repairs.py)."""

    STEPS: tuple[str, ...]

    def next_step(self, step: str | None) -> str | None: ...
    def current(self, db: Database, user_id: int) -> R | None: ...
    def has_answers(self, row: R) -> bool: ...
    def answered(self, row: R) -> int: ...
    def start(self, db: Database, user: User, now: datetime) -> R: ...
    def start_fresh(self, db: Database, user: User, now: datetime) -> R: ...


@dataclass(frozen=True)
class DraftFlow(Generic[R]):
    name: str  # the conversation's name and the content section of its texts
    prefix: str  # callback prefix
    service: Service[R]
    #: Send the question of a step; returns the conversation state.
    ask: Callable[[Update, Ctx, str, R], Awaitable[str]]
    #: Carry on with a draft that has answers: ask its next step (or finish it).
    proceed: Callable[[Update, Ctx, User, R], Awaitable[str | int]]
    #: The steps whose typed answer is free text, and how it is kept (after a care message).
    text_steps: frozenset[str] = frozenset()
    keep_answer: KeepAnswer[R] | None = None

    async def start_cmd(self, update: Update, ctx: Ctx) -> str | int:
        user = await onboarded_user(update, ctx, f"{self.name}.not_onboarded")
        if user is None:
            return END
        if await flow.ask_switch(update, ctx, self.name, self.prefix):
            return SWITCH
        return await self.begin(update, ctx, user)

    async def begin(self, update: Update, ctx: Ctx, user: User) -> str | int:
        """Offer to continue the open draft (if it has answers), or start with the first step."""
        name, p = self.name, self.prefix
        draft = self.service.current(ctx.db, user.id)
        if draft is not None and draft.id is not None and self.service.has_answers(draft):
            day = draft.local_date
            await flow.prompt(
                update,
                ctx,
                name,
                t(
                    f"{name}.resume_question",
                    date=i18n.day_month(day),
                    answered=self.service.answered(draft),
                    total=len(self.service.STEPS),
                ),
                [
                    [(t(f"{name}.resume_continue"), f"{p}:resume:{draft.id}")],
                    [(t(f"{name}.resume_fresh"), f"{p}:fresh:{draft.id}")],
                ],
            )
            return RESUME
        row = self.service.start(ctx.db, user, ctx.now())
        await say(update, ctx, t(f"{name}.intro"))
        return await self.ask(update, ctx, self.service.STEPS[0], row)

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
        name, first = self.name, self.service.STEPS[0]
        user = current_user(update, ctx)
        row = self.service.current(ctx.db, user.id)
        if row is None:  # finished or put aside meanwhile
            await flow.settle(update, ctx, name, t(f"{name}.resume_gone"))
            row = self.service.start(ctx.db, user, ctx.now())
            return await self.ask(update, ctx, first, row)
        if str(row.id) != ref:  # an older question, or forged data: ask about the open draft
            await answer(update)
            return await self.begin(update, ctx, user)
        if action == "fresh":
            await flow.settle(update, ctx, name, t(f"{name}.resume_fresh"))
            row = self.service.start_fresh(ctx.db, user, ctx.now())
            await say(update, ctx, t(f"{name}.fresh_started"))
            return await self.ask(update, ctx, first, row)
        await flow.settle(update, ctx, name, t(f"{name}.resume_continue"))
        return await self.proceed(update, ctx, user, row)

    async def draft(self, update: Update, ctx: Ctx) -> tuple[User, R, int] | None:
        """The user, the open draft this step fills and its id; None (after answering the
        press and saying so, which ends the conversation) if there is none any more."""
        user = current_user(update, ctx)
        row = self.service.current(ctx.db, user.id)
        if row is None or row.id is None:
            await answer(update)
            await flow.gone(update, ctx, self.name)
            return None
        return user, row, row.id

    async def not_text(self, update: Update, ctx: Ctx) -> None:
        await say(update, ctx, t(f"{self.name}.not_text"))

    async def tap_a_button(self, update: Update, ctx: Ctx) -> None:
        await say(update, ctx, t(f"{self.name}.tap_a_button"))

    async def cancel_note(self, update: Update, ctx: Ctx) -> str | None:
        """What /cancel adds: the draft with answers is kept for next time."""
        user = update.effective_user
        if user is None:
            return None
        draft = self.service.current(ctx.db, user.id)
        if draft is not None and self.service.has_answers(draft):
            return t(f"{self.name}.cancel_note")
        return None

    async def keep_text(self, update: Update, ctx: Ctx, state: str, text: str) -> str | None:
        """After a care message (aftercare.py): ``text`` kept as the answer of a free-text
        step; returns the step to resume at (None: not a free-text step, nothing kept). The
        step is the one the draft waits for, as for a typed answer (``typed_at``)."""
        if state not in self.service.STEPS or self.keep_answer is None:
            return None
        user = current_user(update, ctx)
        row = self.service.current(ctx.db, user.id)
        if row is None or row.id is None:
            return None
        step = self.service.next_step(row.step) or state
        if step not in self.text_steps:
            return None
        await flow.clear_prompt(update, ctx, self.name)
        self.keep_answer(ctx, row, row.id, step, text)
        return drafts.next_step(self.service.STEPS, step) or aftercare.FINISH

    async def resume_paused(self, update: Update, ctx: Ctx, state: str) -> str | int:
        """Carry on after a pause: the open question again, found from the draft."""
        user = current_user(update, ctx)
        if state == SWITCH and await flow.ask_switch(update, ctx, self.name, self.prefix):
            return SWITCH
        if state in (SWITCH, RESUME):
            return await self.begin(update, ctx, user)
        row = self.service.current(ctx.db, user.id)
        if row is None or row.id is None:
            return await flow.gone(update, ctx, self.name)
        return await self.proceed(update, ctx, user, row)

    def at_step(self, step: str, handle: StepHandler[R]) -> flow.Callback:
        """A handler calling ``handle`` for ``step`` with the user, the open draft and its id
        (when there is no open draft any more, that is said and the conversation ends)."""

        async def handler(update: Update, ctx: Ctx) -> str | int | None:
            found = await self.draft(update, ctx)
            if found is None:
                return END
            return await handle(update, ctx, step, *found)

        return handler

    def typed_at(self, state: str, handle: StepHandler[R]) -> flow.Callback:
        """Like ``at_step``, for a typed answer: the step it answers is the one the draft
        itself waits for (the step after its stored ``step``), not ``state``, the
        conversation state in memory, which can lag one question behind (a send that failed
        after Telegram delivered the question, a state that could not be stored) — answer
        N+1 would overwrite answer N. A lagging state is put right."""

        async def handler(update: Update, ctx: Ctx) -> str | int | None:
            found = await self.draft(update, ctx)
            if found is None:
                return END
            step = self.service.next_step(found[1].step) or state
            moved = await handle(update, ctx, step, *found)
            return step if moved is None and step != state else moved

        return handler

    def conversation(
        self,
        entry_points: list[flow.Handler],
        skip: StepHandler[R],
        typed: StepHandler[R],
        buttons: Mapping[str, list[flow.Handler]],
    ) -> ConversationHandler[Ctx]:
        """The feature's conversation: one state per step (its Skip button, its other
        ``buttons``, a typed answer), then the switch and continue-or-fresh questions."""
        p = self.prefix
        states: dict[object, list[flow.Handler]] = {
            step: flow.typed_step(
                self.typed_at(step, typed),
                self.not_text,
                CallbackQueryHandler(self.at_step(step, skip), pattern=rf"^{p}:skip:{step}$"),
                *buttons.get(step, []),
            )
            for step in self.service.STEPS
        }
        states[SWITCH] = [
            CallbackQueryHandler(self.switch, pattern=rf"^{p}:switch$"),
            CallbackQueryHandler(self.stay, pattern=rf"^{p}:stay$"),
            MessageHandler(flow.TEXT | flow.OTHER, self.tap_a_button),
        ]
        states[RESUME] = [
            CallbackQueryHandler(self.resume, pattern=rf"^{p}:(resume|fresh):\d{{1,18}}$"),
            MessageHandler(flow.TEXT | flow.OTHER, self.tap_a_button),
        ]
        aftercare.register(self.name, self.resume_paused, self.keep_text)
        return flow.conversation(self.name, entry_points, states)

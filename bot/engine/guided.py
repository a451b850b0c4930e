"""A guided conversation: declared steps (bot/engine/steps.py) filling one draft, one at a time.

The feature declares its steps, the service that finds, starts and stores its draft, and what
happens after the last step; the engine gives every step the same behaviour:

- its question with its buttons as a new message, the previous question's buttons removed;
  a button answer acknowledged and shown under its question ("→ Partly"), the pressed
  message turning into the next question (one edit, no second message; the ending after
  the last answer is a new message);
- Skip (``<prefix>:skip:<step>``, working only at its own step);
- a kind re-prompt for the wrong kind of message (stickers, photos, text at a button step);
- resume: /<command> offers to continue the open draft or start fresh (putting it aside);
  a typed answer goes to the step the *draft* waits for (the step after its stored ``step``),
  not the conversation state, which can lag one question behind (a lost send, a state not
  stored) — answer N+1 never overwrites answer N, and a lagging state is put right;
- the pause after a care message (bot/engine/aftercare.py): crisis language typed at a step
  that keeps text is kept as its answer, and "Carry on" asks the question the draft waits for;
- switching away from another open conversation, and the note /cancel adds.

Conversation states are the step names (persisted), plus ``switch`` and ``resume``.
Texts come from the conversation's own content section (``<name>.intro``, ``<name>.ask_<step>``,
``<name>.skip``, ``<name>.resume_*``, ``<name>.not_text``, ``<name>.tap_a_button`` …).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.content import t
from bot.engine import aftercare, flow
from bot.engine.opening import RESUME, SWITCH, Opening, Service
from bot.engine.steps import Rows, Step, Store
from bot.engine.wheel import toggled
from bot.handlers.common import Ctx, answer, current_user, say
from bot.models import User
from bot.services import drafts
from bot.services.textsplit import clip

END = ConversationHandler.END

R = TypeVar("R")
#: At most this much of a step's note, so the note and the question fit one message.
NOTE_LIMIT = 3000


@dataclass(frozen=True, slots=True)
class Found:
    """The user and the open draft an update belongs to."""

    user: User
    row: Any

    @property
    def id(self) -> int:
        row_id: int = self.row.id
        return row_id


#: After the last step: (update, ctx, the user, the draft, the last answer) -> the end.
Finish = Callable[[Update, Ctx, User, Any, object], Awaitable[int]]
#: Stores a multiple choice in progress without finishing the step: (ctx, draft, field, values).
Choose = Callable[[Ctx, Any, str, list[str]], object]
#: A button of a step: (update, ctx, the user and the open draft) -> the next state.
Press = Callable[[Update, Ctx, Found], Awaitable[object]]


@dataclass(frozen=True)
class Guided(Opening[R]):
    name: str  # the conversation's name (its stored state's) and its content section
    prefix: str  # callback prefix
    service: Service[R]
    steps: tuple[Step, ...]
    save: Store  # stores a step's answer (None: skipped) unless the step has its own store
    finish: Finish
    choose: Choose | None = None
    _by_name: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = tuple(s.name for s in self.steps)
        if names != tuple(self.service.STEPS):
            raise ValueError(f"{self.name}: declared steps {names} differ from the service's")
        object.__setattr__(self, "_by_name", {s.name: s for s in self.steps})

    # --- texts ---------------------------------------------------------------------------

    def question_key(self, step: Step) -> str:
        return step.question or self.key(f"ask_{step.name}")

    def question(self, step: Step) -> str:
        return t(self.question_key(step))

    def skip_label(self) -> str:
        return t(self.key("skip"))

    # --- asking --------------------------------------------------------------------------

    def question_view(self, ctx: Ctx, name: str, row: R) -> tuple[str, Rows]:
        """The question of step ``name`` (after its note, if any) and its buttons."""
        step = self._by_name[name]
        rows = step.kind.rows(self, step, ctx, row)
        if step.skippable and step.kind.skip_row:
            rows.append([(self.skip_label(), f"{self.prefix}:skip:{name}")])
        text = step.kind.text(self, step, row)
        note = step.note(ctx, row) if step.note is not None else None
        if note:
            text = clip(note, NOTE_LIMIT) + "\n\n" + text
        return text, rows

    async def ask(self, update: Update, ctx: Ctx, name: str, row: R) -> str:
        """Send the question of step ``name``; returns the conversation state (its name)."""
        await self.prompt(update, ctx, *self.question_view(ctx, name, row))
        return name

    async def ask_in_place(
        self, update: Update, ctx: Ctx, name: str, row: R, shown: str, question: str | None
    ) -> bool:
        """After a button answer: the pressed message turns into the question of step
        ``name``, the choice kept above it ("→ Partly"): one edit, no second message."""
        text, rows = self.question_view(ctx, name, row)
        return await flow.prompt_in_place(update, ctx, self.name, shown, text, rows, question)

    async def advance(
        self, update: Update, ctx: Ctx, user: User, row: R | None, last: object = None
    ) -> str | int:
        """Ask the next unanswered step, or finish the draft after the last one."""
        if row is None or getattr(row, "id", None) is None:
            return await flow.gone(update, ctx, self.name)
        step = self.service.next_step(getattr(row, "step", None))
        if step is not None:
            return await self.ask(update, ctx, step, row)
        await flow.clear_prompt(update, ctx, self.name)
        return await self.finish(update, ctx, user, row, last)

    async def answered(
        self,
        update: Update,
        ctx: Ctx,
        step: Step,
        found: Found,
        value: object,
        shown: str | None = None,
        question: str | None = None,
    ) -> str | int:
        """Store ``value`` as the answer of ``step`` (None: skipped) and go on. A button's
        choice is shown (``shown``) under its question (``question``: the question alone when
        the message showed more); a typed answer just removes the question's buttons."""
        store = step.store or self.save
        # The step this answer leads to is stored with it (see flow.carrying); after the last
        # one the conversation ends (every ``finish`` ends it), and is forgotten with it.
        following = self.service.next_step(step.name)
        carried = flow.carrying(update, ctx, self.name, END if following is None else following)
        if update.callback_query is None or shown is None:
            await flow.clear_prompt(update, ctx, self.name)
            with carried:
                row = store(ctx, found.row, step.name, value)
            return await self.advance(update, ctx, found.user, row, value)
        with carried:
            row = store(ctx, found.row, step.name, value)
        after = self.service.next_step(getattr(row, "step", None)) if row is not None else None
        if after is not None and await self.ask_in_place(update, ctx, after, row, shown, question):
            return after
        await self.settle(update, ctx, shown, question)  # the last answer: the ending below
        return await self.advance(update, ctx, found.user, row, value)

    def toggle(self, ctx: Ctx, row: R, field_name: str, key: str) -> list[str]:
        """Add or remove ``key`` in the multiple choice ``field_name``; stored at once."""
        assert self.choose is not None, f"{self.name}: a multiple choice needs choose"
        chosen = toggled(getattr(row, field_name), key)
        self.choose(ctx, row, field_name, chosen)
        return chosen

    async def draft(self, update: Update, ctx: Ctx) -> Found | None:
        """The user and the open draft this update fills, read in one statement; None (after
        answering the press and saying so, which ends the conversation) if there is none."""
        tg_user = update.effective_user
        assert tg_user is not None
        both = self.service.user_and_current(ctx.db, tg_user.id)
        user = current_user(update, ctx, known=both[0] if both is not None else None)
        row: Any = both[1] if both is not None else None
        if row is None or row.id is None:
            await answer(update)
            await flow.gone(update, ctx, self.name)
            return None
        return Found(user, row)

    async def not_text(self, update: Update, ctx: Ctx) -> None:
        await say(update, ctx, t(self.key("not_text")))

    async def tap_a_button(self, update: Update, ctx: Ctx) -> None:
        await say(update, ctx, t(self.key("tap_a_button")))

    # --- the step the draft waits for (typed answers, aftercare) ------------------------------

    def waiting(self, row: R, state: str) -> Step | None:
        """The step the draft waits for (``state`` when the draft has none recorded)."""
        name = self.service.next_step(getattr(row, "step", None)) or state
        return self._by_name.get(name)

    def typed_at(self, state: str) -> flow.Callback:
        """A typed answer, for the step the draft waits for (see the module's docstring)."""

        async def handler(update: Update, ctx: Ctx) -> object:
            found = await self.draft(update, ctx)
            if found is None:
                return END
            step = self.waiting(found.row, state)
            if step is None:
                return None
            moved = await step.kind.typed(self, update, ctx, step, found, flow.text_of(update))
            return step.name if moved is None and step.name != state else moved

        return handler

    async def keep_text(self, update: Update, ctx: Ctx, state: str, text: str) -> str | None:
        """After a care message: ``text`` kept as the answer of the step the draft waits for,
        if it keeps text; returns the step to resume at (None: nothing kept)."""
        if state not in self._by_name:
            return None
        row: Any = self.service.current(ctx.db, current_user(update, ctx).id)
        if row is None or row.id is None:
            return None
        step = self.waiting(row, state)
        if step is None or not step.keeps:
            return None
        await flow.clear_prompt(update, ctx, self.name)
        (step.store or self.save)(ctx, row, step.name, step.kind.typed_value(text))
        return drafts.next_step(self.service.STEPS, step.name) or aftercare.FINISH

    # --- the conversation ------------------------------------------------------------------

    def button(
        self, step: Step, action: str, arg: str | None, press: Press
    ) -> CallbackQueryHandler:  # type: ignore[type-arg]
        """A button of ``step`` (``<prefix>:<action>[:<arg>]``, regular expressions), calling
        ``press`` with the open draft (none any more: said, and the conversation ends)."""
        p = self.prefix
        pattern = rf"^{p}:{action}:{arg}$" if arg is not None else rf"^{p}:{action}$"

        async def handler(update: Update, ctx: Ctx) -> object:
            found = await self.draft(update, ctx)
            if found is None:
                return END
            return await press(update, ctx, found)

        return CallbackQueryHandler(handler, pattern=pattern)

    def _skip(self, step: Step) -> CallbackQueryHandler:  # type: ignore[type-arg]
        async def press(update: Update, ctx: Ctx, found: Found) -> object:
            return await self.answered(update, ctx, step, found, None, self.skip_label())

        return self.button(step, "skip", step.name, press)

    def conversation(self, entry_points: list[flow.Handler]) -> ConversationHandler[Ctx]:
        """The feature's conversation: one state per step (its buttons, Skip, a typed answer,
        a re-prompt for anything else), then the switch and continue-or-fresh questions."""
        p = self.prefix
        states: dict[object, list[flow.Handler]] = {
            step.name: flow.typed_step(
                self.typed_at(step.name),
                self.not_text,
                *([self._skip(step)] if step.skippable else []),
                *step.kind.handlers(self, step),
            )
            for step in self.steps
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

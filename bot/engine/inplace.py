"""The step engine's second driving mode: a conversation answered in place (the check-ins).

The same declared steps and kinds as ``Guided`` (steps.py, choices.py), driven differently:

- the draft records the step it *waits for* (``checkins.step``), written with each answer in
  one statement, and the feature's ``save`` says which step comes next (an answer may skip
  one: no interactions, no note) — or None, the end;
- a button's answer turns its message into the next question, the choice kept above it
  ("→ 6"): one message edited instead of a second sent (a typed answer gets a new message);
  a multiple choice's message keeps what was chosen instead ("You chose: …");
- the conversation is started by the feature (a command, or a scheduled prompt's Start
  button: it creates the draft and calls ``first``), never by the engine's continue-or-fresh;
- a typed answer goes to the step the draft waits for, whatever the conversation state says
  (it can lag one question behind); stickers and photos get the step's own re-prompt;
- after a care message the text is kept where the waited-for step takes it, and "Carry on"
  asks the waited-for question again as a new message (bot/engine/aftercare.py).

Texts: ``<name>.gone`` (the draft is no longer open), ``<name>.use_buttons`` (typed at a
button step), ``<name>.re_prompt_text`` (not text at a typed step), ``<name>.already_answered``
(a button of an earlier question); Skip is ``common.skip``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine import aftercare, flow
from bot.engine.choices import Feelings
from bot.engine.guided import Found, Guided
from bot.engine.steps import Rows, Step
from bot.handlers.common import Ctx, answer, clip, drop_buttons, keyboard, say
from bot.store.conversations import STEP_OF_ROW

END = ConversationHandler.END
R = TypeVar("R")

#: The user and their open draft for this update, read in one query (None: nothing open).
Find = Callable[[Update, Ctx], Found | None]
#: Whether the open draft is the one a step belongs to (a morning step, a morning check-in).
Belongs = Callable[[Any, str], bool]
#: A question whose text is read from the draft (today's commitment): (ctx, found) -> text.
Question = Callable[[Ctx, Found], str]
#: A line put before the next question, from the answer just given (None: nothing).
Lead = Callable[[str, object], str | None]


#: The texts this mode looks up in the conversation's own section (its feature lists them).
TEXTS = ("gone", "use_buttons", "re_prompt_text", "already_answered")


def texts(name: str) -> tuple[Family, ...]:
    return tuple(Family(f"{{}}.{text}", (name,)) for text in TEXTS)


def _pressed(update: Update) -> tuple[CallbackQuery, str, str] | None:
    """The pressed query, its message's text and the label of the button pressed."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or not message.text:
        return None
    markup = message.reply_markup
    labels = [
        button.text
        for row in (markup.inline_keyboard if markup else ())
        for button in row
        if button.callback_data == query.data
    ]
    return (query, message.text, labels[0]) if labels else None


async def mark_answer(update: Update) -> None:
    """Replace the pressed question's buttons by the choice made (“→ Partly”)."""
    pressed = _pressed(update)
    if pressed is None:
        await drop_buttons(update)
        return
    query, question, label = pressed
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(flow.answered(question, label), reply_markup=None)


@dataclass(frozen=True)
class InPlace(Guided[R]):
    """``save(ctx, found, step, value)`` stores an answer (None: skipped) and the step the
    draft now waits for, and returns that step (None: the last answer)."""

    find: Find = field(default=lambda update, ctx: None)
    belongs: Belongs = field(default=lambda row, step: True)
    questions: dict[str, Question] = field(default_factory=dict)
    lead: Lead = field(default=lambda step, value: None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {s.name: s for s in self.steps})

    def skip_label(self) -> str:
        return t("common.skip")

    # --- the open draft ----------------------------------------------------------------------

    async def draft(self, update: Update, ctx: Ctx, step: str | None = None) -> Found | None:
        found = self.find(update, ctx)
        if found is None or (step is not None and not self.belongs(found.row, step)):
            await answer(update)
            await say(update, ctx, t(self.key("gone")))
            return None
        return found

    def waiting(self, row: R, state: str) -> Step | None:
        """The step the draft waits for (``state`` for a draft from before steps were kept)."""
        return self._by_name.get(getattr(row, "step", None) or state)

    # --- asking ------------------------------------------------------------------------------

    def view(self, ctx: Ctx, found: Found, name: str) -> tuple[str, Rows]:
        """The question of step ``name`` and its buttons."""
        step = self._by_name[name]
        own = self.questions.get(name)
        text = own(ctx, found) if own is not None else step.kind.text(self, step, found.row)
        rows = step.kind.rows(self, step, ctx, found.row)
        if step.skippable and step.kind.skip_row:
            rows.append([(self.skip_label(), f"{self.prefix}:skip:{name}")])
        return text, rows

    async def first(self, update: Update, ctx: Ctx, found: Found, intro: str) -> str:
        """The first question, after ``intro``, as a new message (nothing recorded yet)."""
        name = self.steps_of(found.row)[0]
        text, rows = self.view(ctx, found, name)
        await say(update, ctx, f"{intro}\n\n{text}", rows)
        return name

    def steps_of(self, row: R) -> list[str]:
        return [s.name for s in self.steps if self.belongs(row, s.name)]

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
        """Store the answer and the step waited for next; ask it in place, or finish."""
        if update.callback_query is not None:
            await answer(update)
        # The step the check-in now waits for is its conversation's state: stored with it.
        with flow.carrying(update, ctx, self.name, STEP_OF_ROW):
            after = self.save(ctx, found, step.name, value)
        if after is None:
            await mark_answer(update)  # a button (Skip, a suggestion) ended it: keep the choice
            return await self.finish(update, ctx, found.user, found.row, value)
        text, rows = self.view(ctx, found, after)
        lead = self.lead(step.name, value)
        if lead is not None:
            text = f"{lead}\n\n{text}"
        if isinstance(step.kind, Feelings):  # the wheel's message keeps what was chosen
            chosen = getattr(found.row, step.column)
            wheel = step.kind.wheel
            head = t(wheel.chosen, emotions=wheel.describe(chosen)) if chosen else question
            await self._edit(update, ctx, f"{head}\n\n{text}", rows)
            return after
        pressed = _pressed(update)
        if pressed is not None:
            query, asked, label = pressed
            with contextlib.suppress(BadRequest):  # gone or too old to edit: asked anew below
                await query.edit_message_text(
                    clip(f"{flow.answered(asked, label)}\n\n{text}"), reply_markup=keyboard(rows)
                )
                return after
        if update.callback_query is not None:
            await drop_buttons(update)  # no second answer to the old question
        await say(update, ctx, text, rows)
        return after

    async def _edit(self, update: Update, ctx: Ctx, text: str, rows: Rows) -> None:
        query = update.callback_query
        if query is not None and query.message is not None:
            with contextlib.suppress(BadRequest):
                await query.edit_message_text(clip(text), reply_markup=keyboard(rows))
                return
        await say(update, ctx, text, rows)

    async def tap_a_button(self, update: Update, ctx: Ctx) -> None:
        await say(update, ctx, t(self.key("use_buttons")))

    def re_prompt(self, step: Step) -> flow.Callback:
        """Stickers, photos or voice: at a typed step, a re-prompt with its Skip."""

        async def handler(update: Update, ctx: Ctx) -> None:
            if not step.kind.free_text:
                await self.tap_a_button(update, ctx)
                return
            skip = [[(self.skip_label(), f"{self.prefix}:skip:{step.name}")]]
            await say(update, ctx, t(self.key("re_prompt_text")), skip)

        return handler

    # --- typed answers and the pause after care -----------------------------------------------

    def typed_at(self, state: str) -> flow.Callback:
        """A typed answer, for the step the draft waits for (see the module's docstring)."""

        async def handler(update: Update, ctx: Ctx) -> object:
            found = self.find(update, ctx)
            step = self.waiting(found.row, state) if found else self._by_name.get(state)
            if step is None or not (step.kind.free_text or step.keeps):  # waits for a button
                await self.tap_a_button(update, ctx)
                return step.name if step is not None and step.name != state else None
            if found is None or not self.belongs(found.row, step.name):
                return await self._gone(update, ctx)
            text = flow.text_of(update)
            if not text.strip():
                return step.name if step.name != state else None
            moved = await step.kind.typed(self, update, ctx, step, found, text)
            return step.name if moved is None and step.name != state else moved

        return handler

    async def _gone(self, update: Update, ctx: Ctx) -> int:
        await answer(update)
        await say(update, ctx, t(self.key("gone")))
        return END

    async def keep_text(self, update: Update, ctx: Ctx, state: str, text: str) -> str | None:
        """After a care message: ``text`` kept as the answer of the step the draft waits for,
        if it takes text; returns the step to resume at (None: the same, nothing kept)."""
        found = self.find(update, ctx)
        if found is None or state not in self._by_name or not self.belongs(found.row, state):
            return None
        step = self.waiting(found.row, state)
        if step is None or not step.keeps:  # a button step: its question is asked again
            return step.name if step is not None and step.name != state else None
        after = self.save(ctx, found, step.name, step.kind.typed_value(text))
        return after or aftercare.FINISH

    async def resume_paused(self, update: Update, ctx: Ctx, state: str) -> str | int:
        """Carry on after a pause: the waited-for question again, as a new message."""
        found = await self.draft(update, ctx, None if state == aftercare.FINISH else state)
        if found is None:
            return END
        step = self.waiting(found.row, state) if state != aftercare.FINISH else None
        if step is None:  # the last answer was kept: the draft is done
            await mark_answer(update)
            return await self.finish(update, ctx, found.user, found.row, None)
        await say(update, ctx, *self.view(ctx, found, step.name))
        return step.name

    # --- the conversation --------------------------------------------------------------------

    def button(
        self, step: Step, action: str, arg: str | None, press: Callable[..., Awaitable[object]]
    ) -> CallbackQueryHandler:  # type: ignore[type-arg]
        p = self.prefix
        pattern = rf"^{p}:{action}:{arg}$" if arg is not None else rf"^{p}:{action}$"

        async def handler(update: Update, ctx: Ctx) -> object:
            found = await self.draft(update, ctx, step.name)
            if found is None:
                return END
            return await press(update, ctx, found)

        return CallbackQueryHandler(handler, pattern=pattern)

    def in_place(
        self, entry_points: list[flow.Handler], fallbacks: list[flow.Handler]
    ) -> ConversationHandler[Ctx]:
        """The conversation: one state per step (its buttons, Skip, typed text for the step
        the draft waits for, the step's re-prompt), the feature's entry points and fallbacks
        (a button of an earlier question: ``already_answered``)."""
        states: dict[object, list[flow.Handler]] = {
            step.name: flow.typed_step(
                self.typed_at(step.name),
                self.re_prompt(step),
                *([self._skip(step)] if step.skippable else []),
                *step.kind.handlers(self, step),
            )
            for step in self.steps
        }
        aftercare.register(self.name, self.resume_paused, self.keep_text)
        return flow.conversation(self.name, entry_points, states, fallbacks)

    async def already_answered(self, update: Update, ctx: Ctx) -> None:
        await answer(update, t(self.key("already_answered")))

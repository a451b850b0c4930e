"""Steps declared as data, and the kinds of answer a step takes.

A ``Step`` names the question (its content key), the kind of answer, whether Skip is offered,
whether crisis language typed there is kept as its answer (aftercare), where the answer
goes (``store``: a call into the feature's service; None: the conversation's own ``save``), and
a ``note`` shown above the question (the user's own earlier moments, as evidence).
A kind knows its buttons and callback data, what a typed message means at its step, and its
re-prompt for the wrong kind of message; the conversation (bot/engine/guided.py) does the
rest, the same for every step: the question with its buttons, the pressed one edited to show
the choice, Skip, resume, and the pause after a care message.

Kinds here: ``Text`` (free text, optionally looked at again by the feature: the repair coach),
``Scale`` (0–10, tapped or typed) and ``Time`` (presets or a typed time,
bot/services/parse/moments.py); the choices are in bot/engine/choices.py: ``Choice`` (one of
the buttons, or a label typed; a person is ``person()``), ``Several`` (toggles with Done,
optionally explained) and ``Feelings`` (the feelings wheel, bot/engine/wheel.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from telegram import Update
from telegram.ext import BaseHandler

from bot.content import t
from bot.handlers.common import Button, Ctx, say
from bot.models import User
from bot.services.parse import moments
from bot.services.profile import zone_for_safe

if TYPE_CHECKING:
    from bot.engine.guided import Found, Guided

Rows = list[list[Button]]
Handler = BaseHandler[Update, Ctx, Any]
#: Stores the answer of a step (None: skipped); returns the draft as it now is.
Store = Callable[[Ctx, Any, str, Any], Any]
#: Shown above a step's question, from the draft (None: nothing): the user's own evidence.
Note = Callable[[Ctx, Any], str | None]


class Picked(NamedTuple):
    """A choice: the option's key (None when the label was typed) and its label."""

    key: str | None
    label: str


class Moment(NamedTuple):
    """A time chosen: as the user gave it (a preset's label or their words) and the instant."""

    label: str
    at: datetime


@dataclass(frozen=True)
class Step:
    name: str
    kind: Kind
    question: str | None = None  # content key; default "<conversation>.ask_<name>"
    skippable: bool = True
    #: Crisis language typed here is kept as the answer (default: the kind takes free text).
    keeps_text: bool | None = None
    store: Store | None = None
    #: The draft's field a multiple choice lives in (default: the step's name).
    field: str | None = None
    note: Note | None = None

    @property
    def column(self) -> str:
        return self.field or self.name

    @property
    def keeps(self) -> bool:
        return self.kind.free_text if self.keeps_text is None else self.keeps_text


class Kind:
    free_text = False
    skip_row = True  # a Skip row under the kind's buttons (multiple choices have Done)

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        return []

    def text(self, flow: Guided[Any], step: Step, row: Any) -> str:
        return flow.question(step)

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        return []

    def typed_value(self, text: str) -> object:
        """What typed text is as this step's answer (kept after a care message)."""
        return text

    async def typed(
        self, flow: Guided[Any], update: Update, ctx: Ctx, step: Step, found: Found, text: str
    ) -> object:
        """A message typed at this step; returns the next state (None: stay)."""
        await flow.tap_a_button(update, ctx)
        return None


def arg(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Text(Kind):
    """Free text, kept verbatim. ``review`` (the feature's second look, e.g. the coach)
    stores the text without moving on and returns a note, or None when it reads fine: the note
    is shown with "<conversation>.coach_keep" (keep it) and the user may type it again."""

    review: Callable[[Ctx, Any, str, str], str | None] | None = None
    free_text = True

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        if self.review is None:
            return []

        async def keep(update: Update, ctx: Ctx, found: Found) -> object:
            return await flow.answered(update, ctx, step, found, None, t(flow.key("coach_keep")))

        return [flow.button(step, "keep", step.name, keep)]

    async def typed(
        self, flow: Guided[Any], update: Update, ctx: Ctx, step: Step, found: Found, text: str
    ) -> object:
        if self.review is not None:
            note = self.review(ctx, found.row, step.name, text)
            if note is not None:
                rows = [[(t(flow.key("coach_keep")), f"{flow.prefix}:keep:{step.name}")]]
                await flow.prompt(update, ctx, note + "\n\n" + t(flow.key("coach_retype")), rows)
                return None
        return await flow.answered(update, ctx, step, found, text)


_SCALE = re.compile(r"\s*(10|[0-9])\s*(?:/\s*10)?\s*")


@dataclass(frozen=True)
class Scale(Kind):
    """0 to 10: a button (``<prefix>:<action>:<n>``) or the number typed ("7", "7/10");
    ``typed=False``: buttons only (typed text gets "please tap a button")."""

    action: str
    typed_ok: bool = True

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        numbers = [(str(n), f"{flow.prefix}:{self.action}:{n}") for n in range(11)]
        return [numbers[:6], numbers[6:]]

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def pick(update: Update, ctx: Ctx, found: Found) -> object:
            value = int(arg(update))
            return await flow.answered(update, ctx, step, found, value, f"{value}/10")

        return [flow.button(step, self.action, "(10|[0-9])", pick)]

    def typed_value(self, text: str) -> object:
        match = _SCALE.fullmatch(text)
        return None if match is None else int(match[1])

    async def typed(
        self, flow: Guided[Any], update: Update, ctx: Ctx, step: Step, found: Found, text: str
    ) -> object:
        value = self.typed_value(text) if self.typed_ok else None
        if value is None:
            return await super().typed(flow, update, ctx, step, found, text)
        return await flow.answered(update, ctx, step, found, value)


def _zone(user: User) -> Any:
    return zone_for_safe(user.timezone)


@dataclass(frozen=True)
class Time(Kind):
    """A moment ahead: a preset (``<prefix>:<action>:<preset>``, labelled
    "<conversation>.<action>_<preset>") or a time typed in the user's own words, read in
    their zone; a past, too far or unreadable time is explained ("<conversation>.past_when",
    "far_when", "bad_when")."""

    action: str = "when"

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        p, a = flow.prefix, self.action
        return [[(t(flow.key(f"{a}_{preset}")), f"{p}:{a}:{preset}") for preset in moments.PRESETS]]

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def pick(update: Update, ctx: Ctx, found: Found) -> object:
            preset = arg(update)
            label = t(flow.key(f"{self.action}_{preset}"))
            at = moments.preset_time(preset, _zone(found.user), ctx.now())
            return await flow.answered(update, ctx, step, found, Moment(label, at), label)

        return [flow.button(step, self.action, "|".join(moments.PRESETS).join("()"), pick)]

    async def typed(
        self, flow: Guided[Any], update: Update, ctx: Ctx, step: Step, found: Found, text: str
    ) -> object:
        try:
            at = moments.parse_when(text, _zone(found.user), ctx.now())
        except moments.WhenError as err:
            key = {"past": "past_when", "far": "far_when"}.get(err.key)
            shown = " ".join(text.split())[:40]
            await say(update, ctx, t(flow.key(key)) if key else t(flow.key("bad_when"), text=shown))
            return None
        return await flow.answered(update, ctx, step, found, Moment(text, at))

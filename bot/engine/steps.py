"""Steps declared as data, and the kinds of answer a step takes.

A ``Step`` names the question (its content key), the kind of answer, whether Skip is offered,
whether crisis language typed there is kept as its answer (aftercare), and where the answer
goes (``store``: a call into the feature's service; None: the conversation's own ``save``).
A kind knows its buttons and callback data, what a typed message means at its step, and its
re-prompt for the wrong kind of message; the conversation (bot/engine/guided.py) does the
rest, the same for every step: the question with its buttons, the pressed one edited to show
the choice, Skip, resume, and the pause after a care message.

Kinds: ``Text`` (free text, optionally looked at again by the feature: the repair coach),
``Choice`` (one of the buttons, or a label typed; a person is ``person()``), ``Several``
(toggles with Done, optionally explained), ``Feelings`` (the feelings wheel,
bot/engine/wheel.py), ``Scale`` (0–10, tapped or typed) and ``Time`` (presets or a typed
time, bot/services/parse/moments.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.content import t
from bot.engine import pickers
from bot.engine.wheel import ID, Wheel
from bot.handlers.common import Button, Ctx, answer, edit_or_say, say
from bot.models import User
from bot.services import people
from bot.services.parse import moments
from bot.services.profile import zone_for_safe

if TYPE_CHECKING:
    from bot.engine.guided import Found, Guided

Rows = list[list[Button]]
Handler = BaseHandler[Update, Ctx, Any]
#: Stores the answer of a step (None: skipped); returns the draft as it now is.
Store = Callable[[Ctx, Any, str, Any], Any]


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


def _arg(update: Update) -> str:
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


#: The (key, label) options of a choice, for the user and their draft.
Options = Callable[[Ctx, Any], Sequence[tuple[str, str]]]
#: The label of a pressed key, or None when it is not one of the options (forged, retired).
Resolve = Callable[[Ctx, Any, str], str | None]


@dataclass(frozen=True)
class Choice(Kind):
    """One of the buttons (``<prefix>:<action>:<key>``), or a label typed instead.
    ``own``: the key of an option that asks to type one's own ("<question>_other")."""

    action: str
    options: Options
    resolve: Resolve
    pattern: str = ID
    per_row: int = 2
    own: str | None = None

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        options = self.options(ctx, row)
        return pickers.choice_rows(flow.prefix, self.action, options, self.per_row)

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def pick(update: Update, ctx: Ctx, found: Found) -> object:
            key = _arg(update)
            label = self.resolve(ctx, found.row, key)
            if label is None:
                await answer(update)
                return None
            if key == self.own:
                await flow.settle(update, ctx, label)
                await flow.prompt(update, ctx, t(flow.question_key(step) + "_other"))
                return None
            return await flow.answered(update, ctx, step, found, Picked(key, label), label)

        return [flow.button(step, self.action, self.pattern, pick)]

    def typed_value(self, text: str) -> object:
        return Picked(None, text)

    async def typed(
        self, flow: Guided[Any], update: Update, ctx: Ctx, step: Step, found: Found, text: str
    ) -> object:
        return await flow.answered(update, ctx, step, found, Picked(None, text))


def vocabulary(name: str) -> tuple[Options, Resolve]:
    """The options and the resolver of a vocabulary list (bot/content/vocab.toml)."""
    from bot.services import vocab

    def options(ctx: Ctx, row: Any) -> list[tuple[str, str]]:
        return [(o.id, o.label) for o in vocab.options(name)]

    def resolve(ctx: Ctx, row: Any, key: str) -> str | None:
        try:
            return vocab.option(name, key).label
        except KeyError:
            return None

    return options, resolve


def person(action: str = "who") -> Choice:
    """Who: the user's own recent people first, then the defaults (keys resolved against the
    pressing user's own rows only), or a name typed."""
    return Choice(
        action,
        lambda ctx, row: [(c.key, c.label) for c in people.choices(ctx.db, row.user_id)],
        lambda ctx, row, key: people.resolve(ctx.db, row.user_id, key),
        pattern=r"[vtr]\.[a-z0-9_]+",
        per_row=3,
    )


@dataclass(frozen=True)
class Explained:
    """An explanation the user can show under a multiple choice ("What are these?")."""

    heading: str  # content key; also how a shown explanation is recognised
    lines: Callable[[], list[str]]
    show: tuple[str, str]  # the buttons: (content key, action)
    hide: tuple[str, str]


@dataclass(frozen=True)
class Several(Kind):
    """Toggles (``<prefix>:<action>:<key>``, ✓ when chosen, each stored at once) and Done
    (``<prefix>:<done>``; ``empty`` is its label while nothing is chosen). The choice lives in
    the draft's field named like the step."""

    action: str
    done: str
    options: Callable[[], Sequence[tuple[str, str]]]
    describe: Callable[[list[str]], str]
    empty: str  # content key
    explained: Explained | None = None
    skip_row = False

    def view(
        self, flow: Guided[Any], step: Step, chosen: list[str], info: bool
    ) -> tuple[str, Rows]:
        p, text = flow.prefix, flow.question(step)
        ex = self.explained
        if ex is not None and info:
            text += "\n\n" + t(ex.heading) + "\n" + "\n".join(ex.lines())
        rows = pickers.toggle_rows(p, self.action, self.options(), chosen)
        if ex is not None:
            key, action = ex.hide if info else ex.show
            rows.append([(t(key), f"{p}:{action}")])
        rows.append([pickers.done_button(p, self.done, len(chosen), t(self.empty))])
        return text, rows

    def text(self, flow: Guided[Any], step: Step, row: Any) -> str:
        return self.view(flow, step, getattr(row, step.name), False)[0]

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        return self.view(flow, step, getattr(row, step.name), False)[1]

    def _shown(self, update: Update) -> bool:
        query = update.callback_query
        text = getattr(query.message, "text", None) if query is not None else None
        return self.explained is not None and bool(text) and t(self.explained.heading) in str(text)

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        keys = {key for key, _ in self.options()}

        async def toggle(update: Update, ctx: Ctx, found: Found) -> object:
            await answer(update)
            key = _arg(update)
            if key not in keys:
                return None
            chosen = flow.toggle(ctx, found.row, step.name, key)
            await edit_or_say(update, ctx, *self.view(flow, step, chosen, self._shown(update)))
            return None

        async def info(update: Update, ctx: Ctx, found: Found) -> object:
            await answer(update)
            assert self.explained is not None
            show = _arg(update) == self.explained.show[1]
            await edit_or_say(
                update, ctx, *self.view(flow, step, getattr(found.row, step.name), show)
            )
            return None

        async def done(update: Update, ctx: Ctx, found: Found) -> object:
            chosen = self.describe(getattr(found.row, step.name)) or t(self.empty)
            return await flow.answered(update, ctx, step, found, None, chosen, flow.question(step))

        handlers: list[Handler] = [
            flow.button(step, self.action, ID, toggle),
            flow.button(step, self.done, None, done),
        ]
        if self.explained is not None:
            both = f"({self.explained.show[1]}|{self.explained.hide[1]})"
            handlers.append(flow.button(step, both, None, info))
        return handlers


@dataclass(frozen=True)
class Feelings(Kind):
    """The feelings wheel (bot/engine/wheel.py) over the draft's field named like the step."""

    wheel: Wheel
    skip_row = False

    def text(self, flow: Guided[Any], step: Step, row: Any) -> str:
        return self.wheel.families(getattr(row, step.name))[0]

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        return self.wheel.families(getattr(row, step.name))[1]

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def read(update: Update, ctx: Ctx) -> tuple[Found, list[str]] | None:
            found = await flow.draft(update, ctx)
            return None if found is None else (found, getattr(found.row, step.name))

        def choose(ctx: Ctx, found: Found, chosen: list[str]) -> None:
            assert flow.choose is not None, f"{flow.name}: the feelings wheel needs choose"
            flow.choose(ctx, found.row, step.name, chosen)

        async def done(update: Update, ctx: Ctx) -> object:
            found = await flow.draft(update, ctx)
            if found is None:
                return ConversationHandler.END
            chosen = self.wheel.describe(getattr(found.row, step.name)) or t(self.wheel.empty)
            return await flow.answered(update, ctx, step, found, None, chosen, flow.question(step))

        return self.wheel.handlers(read, choose, done)


_SCALE = re.compile(r"\s*(10|[0-9])\s*(?:/\s*10)?\s*")


@dataclass(frozen=True)
class Scale(Kind):
    """0 to 10: a button (``<prefix>:<action>:<n>``) or the number typed ("7", "7/10")."""

    action: str

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        numbers = [(str(n), f"{flow.prefix}:{self.action}:{n}") for n in range(11)]
        return [numbers[:6], numbers[6:]]

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def pick(update: Update, ctx: Ctx, found: Found) -> object:
            value = int(_arg(update))
            return await flow.answered(update, ctx, step, found, value, f"{value}/10")

        return [flow.button(step, self.action, "(10|[0-9])", pick)]

    def typed_value(self, text: str) -> object:
        match = _SCALE.fullmatch(text)
        return None if match is None else int(match[1])

    async def typed(
        self, flow: Guided[Any], update: Update, ctx: Ctx, step: Step, found: Found, text: str
    ) -> object:
        value = self.typed_value(text)
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
            preset = _arg(update)
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

"""The kinds of step that choose among buttons: one (``Choice``, ``person``), several
(``Several``), and feelings (``Feelings``: the wheel, bot/engine/wheel.py). See steps.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.engine import pickers
from bot.engine.steps import Handler, Kind, Picked, Rows, Step, arg
from bot.engine.wheel import ID, Wheel
from bot.handlers.common import Ctx, answer, edit_or_say
from bot.services import people

if TYPE_CHECKING:
    from bot.engine.guided import Found, Guided


#: The (key, label) options of a choice, for the user and their draft.
Options = Callable[[Ctx, Any], Sequence[tuple[str, str]]]
#: The label of a pressed key, or None when it is not one of the options (forged, retired).
Resolve = Callable[[Ctx, Any, str], str | None]


@dataclass(frozen=True)
class Choice(Kind):
    """One of the buttons (``<prefix>:<action>:<key>``), or a label typed instead.
    ``own``: the key of an option that asks to type one's own ("<question>_other");
    ``typed_ok=False``: buttons only (typed text gets "please tap a button")."""

    action: str
    options: Options
    resolve: Resolve
    pattern: str = ID
    per_row: int = 2
    own: str | None = None
    typed_ok: bool = True
    label_clip: int = pickers.LABEL_CLIP  # 0: labels shown whole (the bot's own, not typed)

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        options = self.options(ctx, row)
        return pickers.choice_rows(flow.prefix, self.action, options, self.per_row, self.label_clip)

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def pick(update: Update, ctx: Ctx, found: Found) -> object:
            key = arg(update)
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
        if not self.typed_ok:
            return await super().typed(flow, update, ctx, step, found, text)
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
        pattern=people.KEY,
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
        return self.view(flow, step, getattr(row, step.column), False)[0]

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        return self.view(flow, step, getattr(row, step.column), False)[1]

    def _shown(self, update: Update) -> bool:
        query = update.callback_query
        text = getattr(query.message, "text", None) if query is not None else None
        return self.explained is not None and bool(text) and t(self.explained.heading) in str(text)

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        keys = {key for key, _ in self.options()}

        async def toggle(update: Update, ctx: Ctx, found: Found) -> object:
            await answer(update)
            key = arg(update)
            if key not in keys:
                return None
            chosen = flow.toggle(ctx, found.row, step.column, key)
            await edit_or_say(update, ctx, *self.view(flow, step, chosen, self._shown(update)))
            return None

        async def info(update: Update, ctx: Ctx, found: Found) -> object:
            await answer(update)
            assert self.explained is not None
            show = arg(update) == self.explained.show[1]
            await edit_or_say(
                update, ctx, *self.view(flow, step, getattr(found.row, step.column), show)
            )
            return None

        async def done(update: Update, ctx: Ctx, found: Found) -> object:
            chosen = self.describe(getattr(found.row, step.column)) or t(self.empty)
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
    #: A tap carries a paused conversation on (the check-in); otherwise it stays paused.
    taps_resume: bool = False
    skip_row = False

    def text(self, flow: Guided[Any], step: Step, row: Any) -> str:
        return self.wheel.families(getattr(row, step.column))[0]

    def rows(self, flow: Guided[Any], step: Step, ctx: Ctx, row: Any) -> Rows:
        return self.wheel.families(getattr(row, step.column))[1]

    def handlers(self, flow: Guided[Any], step: Step) -> list[Handler]:
        async def read(update: Update, ctx: Ctx) -> tuple[Found, list[str]] | None:
            found = await flow.draft(update, ctx)
            return None if found is None else (found, getattr(found.row, step.column))

        def choose(ctx: Ctx, found: Found, chosen: list[str]) -> None:
            assert flow.choose is not None, f"{flow.name}: the feelings wheel needs choose"
            flow.choose(ctx, found.row, step.column, chosen)

        async def done(update: Update, ctx: Ctx) -> object:
            found = await flow.draft(update, ctx)
            if found is None:
                return ConversationHandler.END
            chosen = self.wheel.describe(getattr(found.row, step.column)) or t(self.wheel.empty)
            return await flow.answered(update, ctx, step, found, None, chosen, flow.question(step))

        return self.wheel.handlers(read, choose, done, step.name if self.taps_resume else None)

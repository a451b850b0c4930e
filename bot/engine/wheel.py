"""The feelings wheel: one component for every conversation that asks how the user feels.

The emotion families first, then a family's finer words (and the family itself), several
allowed, each marked ✓ once chosen; "Done (n chosen)" (or Skip while nothing is chosen)
ends it. Every tap is stored the moment it happens (a restart loses nothing). Callback data
is ``<prefix>:fam:<family>``, ``<prefix>:fams``, ``<prefix>:emo:<emotion>`` and
``<prefix>:emodone`` with the conversation's own prefix (buttons already in users' chats keep
working). Ids are checked against the vocabulary; an unknown one is answered and ignored.

The owner supplies its texts (content keys), how the chosen feelings read in a sentence, how
to find what is chosen (its open draft) and how to store a new choice; "Done" is the owner's
(what comes next differs: the trigger log asks its next step, the morning check-in turns the
wheel into the next question in place).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.content import t
from bot.engine import pickers
from bot.handlers.common import Button, Ctx, answer, chunk, edit_or_say
from bot.services import vocab

ID = r"[a-z0-9_]{1,32}"
END = ConversationHandler.END

T = TypeVar("T")
#: A question and its buttons.
Question = tuple[str, list[list[Button]]]
#: The open draft the wheel fills and what it has chosen; None when it is gone (the reader
#: has said so: the conversation ends).
Read = Callable[[Update, Ctx], Awaitable[tuple[T, list[str]] | None]]
#: Stores a new choice of feelings on the draft.
Choose = Callable[[Ctx, T, list[str]], object]


def family_of(emotion_id: str) -> str:
    """The family an emotion id belongs to (a family is its own family); KeyError if unknown."""
    try:
        return vocab.emotion_word(emotion_id).family
    except KeyError:
        return vocab.emotion_family(emotion_id).id


def toggled(values: Sequence[str], item: str) -> list[str]:
    """``values`` with ``item`` added at the end, or removed if it was there."""
    return [v for v in values if v != item] if item in values else [*values, item]


@dataclass(frozen=True)
class Wheel:
    prefix: str
    question: str  # content key: the families view
    family_question: str  # content key with {family}: a family's words
    chosen: str  # content key with {emotions}: the line under the question
    #: The chosen feelings as they read in the line (each owner words them its own way).
    describe: Callable[[list[str]], str]
    empty: str = "flow.skip"  # the Done button's label while nothing is chosen

    def _line(self, chosen: list[str]) -> str:
        return "\n\n" + t(self.chosen, emotions=self.describe(chosen)) if chosen else ""

    def done_button(self, chosen: Sequence[str]) -> Button:
        return pickers.done_button(self.prefix, "emodone", len(chosen), t(self.empty))

    def families(self, chosen: list[str]) -> Question:
        """The emotion families, each marked when one of its words (or itself) is chosen."""
        p, picked = self.prefix, set(chosen)
        buttons = [
            (
                pickers.mark(f.label, f.id in picked or any(w.id in picked for w in f.words)),
                f"{p}:fam:{f.id}",
            )
            for f in vocab.emotion_families()
        ]
        rows = chunk(buttons, 2)
        rows.append([self.done_button(chosen)])
        return t(self.question) + self._line(chosen), rows

    def words(self, family_id: str, chosen: list[str]) -> Question:
        """The finer words of a family (and the family itself); KeyError if unknown."""
        p, picked = self.prefix, set(chosen)
        family = vocab.emotion_family(family_id)
        buttons = [(pickers.mark(w.label, w.id in picked), f"{p}:emo:{w.id}") for w in family.words]
        just = t("flow.just_family", family=family.label)
        buttons.append((pickers.mark(just, family.id in picked), f"{p}:emo:{family.id}"))
        rows = chunk(buttons, 2)
        rows.append([(t("flow.back_families"), f"{p}:fams"), self.done_button(chosen)])
        return t(self.family_question, family=family.label) + self._line(chosen), rows

    def handlers(
        self,
        read: Read[T],
        choose: Choose[T],
        done: Callable[[Update, Ctx], Coroutine[Any, Any, Any]],
        state: str | None = None,
    ) -> list[BaseHandler[Update, Ctx, Any]]:
        """The wheel's buttons at the step that shows it; ``done`` handles Done. A tap leaves
        the conversation where it is, or moves it to ``state`` (out of a pause, say)."""
        p = self.prefix

        def press(act: Callable[[Ctx, tuple[T, list[str]], str], Question | None]) -> Any:
            async def handler(update: Update, ctx: Ctx) -> object:
                found = await read(update, ctx)
                if found is None:
                    return END
                await answer(update)
                view = act(ctx, found, _arg(update))
                if view is not None:
                    await edit_or_say(update, ctx, *view)
                return state

            return handler

        def family(ctx: Ctx, found: tuple[T, list[str]], family_id: str) -> Question | None:
            try:
                return self.words(family_id, found[1])
            except KeyError:
                return None

        def families(ctx: Ctx, found: tuple[T, list[str]], _: str) -> Question:
            return self.families(found[1])

        def toggle(ctx: Ctx, found: tuple[T, list[str]], emotion: str) -> Question | None:
            try:
                family_id = family_of(emotion)
            except KeyError:
                return None
            chosen = toggled(found[1], emotion)
            choose(ctx, found[0], chosen)
            return self.words(family_id, chosen)

        return [
            CallbackQueryHandler(press(family), pattern=rf"^{p}:fam:{ID}$"),
            CallbackQueryHandler(press(families), pattern=rf"^{p}:fams$"),
            CallbackQueryHandler(press(toggle), pattern=rf"^{p}:emo:{ID}$"),
            CallbackQueryHandler(done, pattern=rf"^{p}:emodone$"),
        ]


def _arg(update: Update) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.rsplit(":", 1)[-1]

"""The moment after care: an open conversation waits, then carries on or stops.

When a message carries crisis language (bot/features/safety/handlers.py), the conversation
the user was in is *paused*: its state becomes ``paused:<state to resume at>``. Every
conversation built by ``flow.conversation`` has a paused twin of each of its states (and of
``FINISH``), holding:

- "Carry on where we were" (``care:on``): asks the question of the stored state again, with
  its buttons (the feature's ``resume``), and the conversation goes on from there;
- "Stop here for now" (``care:stop``): ends the conversation gently; answers already given
  stay where they were written (drafts stay drafts, as with /cancel);
- the buttons of the question that was open (a tap there carries on by answering it);
- anything typed meanwhile gets a short note with the two buttons again (crisis language is
  answered by safety.py before it gets here).

Before pausing, a feature may keep the message as the answer of a step that wants free text
(its ``keep``), so nothing a user writes is lost; a step that wants a time, a city or a button
is left unanswered and is asked again on carrying on. The state lives in the conversation's
stored state, so a restart keeps the pause.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.content import t
from bot.handlers import general
from bot.handlers.common import (
    Button,
    Ctx,
    answer,
    conversation_handlers,
    conversation_key,
    edit_or_say,
    say,
)
from bot.services.textsplit import clip

log = logging.getLogger(__name__)

PAUSED = "paused:"
#: The resume point after the last step's answer was kept: carrying on finishes.
FINISH = "finish"
CARRY_ON, STOP = "care:on", "care:stop"
END = ConversationHandler.END

#: Keeps ``text`` as the answer of the step at ``state``; returns the state to resume at,
#: or None when that step does not take free text (nothing is written).
Keep = Callable[[Update, Ctx, str, str], Awaitable[str | None]]
#: Asks the question of ``state`` again (``FINISH``: finishes); returns the new state.
Resume = Callable[[Update, Ctx, str], Awaitable[object]]
#: What stopping adds about the answers (None: nothing to add).
StopNote = Callable[[Update, Ctx], Awaitable[str | None]]


@dataclass(frozen=True)
class Pausable:
    resume: Resume
    keep: Keep | None = None
    stop_note: StopNote | None = None


_pausable: dict[str, Pausable] = {}
#: Called after a stop, for the invitation of the next calm moment (the safety plan).
_after_stop: list[Callable[[Update, Ctx], Awaitable[None]]] = []


def register(
    name: str, resume: Resume, keep: Keep | None = None, stop_note: StopNote | None = None
) -> None:
    """Let the conversation ``name`` be paused after care and carried on."""
    _pausable[name] = Pausable(resume, keep, stop_note)


def after_stop(hook: Callable[[Update, Ctx], Awaitable[None]]) -> None:
    """Run ``hook`` after every stop (once, however often the bot is built)."""
    if hook not in _after_stop:
        _after_stop.append(hook)


def buttons() -> list[list[Button]]:
    return [[(t("care.carry_on"), CARRY_ON)], [(t("care.stop"), STOP)]]


# --- pausing (from the crisis handler) -----------------------------------------------------


@dataclass(frozen=True)
class Open:
    """The conversation a message would have gone to, and where it stood."""

    handler: ConversationHandler  # type: ignore[type-arg]
    key: tuple[int, int]
    state: str

    @property
    def name(self) -> str:
        return self.handler.name or ""

    @property
    def paused(self) -> bool:
        return self.state.startswith(PAUSED)


def open_conversation(update: Update, ctx: Ctx) -> Open | None:
    """The first open conversation of this user that can be paused (handler order: the
    one their message would have gone to)."""
    key = conversation_key(update)
    if key is None:
        return None
    for handler in conversation_handlers(ctx.application):
        state = handler._conversations.get(key)  # noqa: SLF001  (PTB has no public accessor)
        if state is None or handler.name not in _pausable or not isinstance(state, str):
            continue
        if (PAUSED + state.removeprefix(PAUSED)) in handler.states:
            return Open(handler, key, state)
    return None


async def pause(update: Update, ctx: Ctx, found: Open, text: str | None) -> str:
    """Keep ``text`` as the open step's answer where it takes free text, then pause the
    conversation; returns the state it will resume at."""
    resume_at = found.state.removeprefix(PAUSED)
    pausable = _pausable[found.name]
    if not found.paused and text and pausable.keep is not None:
        kept = await pausable.keep(update, ctx, resume_at, text)
        if kept is not None:
            resume_at = kept
    target = PAUSED + resume_at
    if target not in found.handler.states:
        target = PAUSED + FINISH
    # PTB has no public way to set a state from outside the handler (see common.end_conversations).
    found.handler._update_state(target, found.key)  # noqa: SLF001
    log.info("conversation_paused user_id=%s name=%s", found.key[1], found.name)
    return target


# --- the paused states' handlers -------------------------------------------------------------


async def _settle(update: Update, ctx: Ctx, choice: str) -> None:
    """Show the choice under the pressed message and remove its buttons."""
    query = await answer(update)
    message = query.message if query is not None else None
    original = getattr(message, "text", None) or ""
    await edit_or_say(update, ctx, clip(f"{original}\n→ {choice}"))


def _carry_on(name: str, resume_at: str) -> Callable[[Update, Ctx], Coroutine[Any, Any, object]]:
    async def handler(update: Update, ctx: Ctx) -> object:
        await _settle(update, ctx, t("care.carry_on"))
        log.info("conversation_carried_on user_id=%s name=%s", _uid(update), name)
        return await _pausable[name].resume(update, ctx, resume_at)

    return handler


def _stop(name: str) -> Callable[[Update, Ctx], Coroutine[Any, Any, int]]:
    async def handler(update: Update, ctx: Ctx) -> int:
        await _settle(update, ctx, t("care.stop"))
        pausable = _pausable.get(name)
        note_of = pausable.stop_note if pausable and pausable.stop_note else None
        note_of = note_of or general.cancel_note(ctx.application, name)
        note = await note_of(update, ctx) if note_of is not None else None
        await say(update, ctx, "\n\n".join(p for p in (t("care.stopped"), note) if p))
        log.info("conversation_stopped user_id=%s name=%s", _uid(update), name)
        for hook in _after_stop:
            await hook(update, ctx)
        return END

    return handler


async def _waiting(update: Update, ctx: Ctx) -> None:
    await say(update, ctx, t("care.waiting"), buttons())


def _uid(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def paused_states(name: str, states: dict[object, list]) -> dict[object, list]:  # type: ignore[type-arg]
    """A paused twin of every state (and of ``FINISH``): carry on, stop, the state's own
    buttons, and a note for anything typed."""
    twins: dict[object, list] = {}  # type: ignore[type-arg]
    for state in [*states, FINISH]:
        if not isinstance(state, str) or state.startswith(PAUSED):
            continue
        own = [h for h in states.get(state, []) if isinstance(h, CallbackQueryHandler)]
        twins[PAUSED + state] = [
            CallbackQueryHandler(_carry_on(name, state), pattern=rf"^{CARRY_ON}$"),
            CallbackQueryHandler(_stop(name), pattern=rf"^{STOP}$"),
            *own,
            MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, _waiting),
        ]
    return twins


async def nothing_open(update: Update, ctx: Ctx) -> None:
    """Carry on / Stop under a care message whose conversation has already ended."""
    await _settle(update, ctx, t("care.carry_on") if _is(update, CARRY_ON) else t("care.stop"))
    await say(update, ctx, t("care.nothing_open"))


def _is(update: Update, data: str) -> bool:
    query = update.callback_query
    return query is not None and query.data == data


def stale_handler() -> CallbackQueryHandler:  # type: ignore[type-arg]
    return CallbackQueryHandler(nothing_open, pattern=rf"^({CARRY_ON}|{STOP})$")

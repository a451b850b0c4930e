"""A check-in after a pause (bot/engine/aftercare.py): a typed answer kept, a question again.

The open step is the one the check-in records it waits for (``checkins.step``; the
conversation state can lag one question behind), or the conversation state for a check-in from
before steps were recorded. Where it takes typed text (what I need, the commitment, the note,
the lesson), the message is kept as its answer and the check-in resumes at the step after it
(recorded as the step it now waits for); at a button step nothing is written and the same
question is asked again. Questions are sent as new messages,
below the care message, with their buttons.
"""

from __future__ import annotations

from telegram import Update

from bot.content import t
from bot.engine import aftercare
from bot.features.checkin import evening as checkin_evening
from bot.features.checkin import morning as checkin_morning
from bot.features.checkin.common import (
    E_INTERACTIONS,
    E_KEPT,
    E_LESSON,
    E_NOTE,
    E_REPAIR,
    E_TRIGGERED,
    END,
    M_COMMIT,
    M_EMOTIONS,
    M_INTENSITY,
    M_NEED,
    TYPED,
    Found,
    Question,
    draft,
)
from bot.features.checkin.prompts import NAME
from bot.handlers.common import Ctx, say
from bot.services import checkins
from bot.services.due import EVENING, MORNING

#: The step each typed step's conversation resumes at once its answer is kept.
AFTER = {
    M_NEED: M_COMMIT,
    M_COMMIT: aftercare.FINISH,
    E_NOTE: E_TRIGGERED,
    E_LESSON: aftercare.FINISH,
}


def _kind(state: str) -> str:
    return MORNING if state.startswith("m_") else EVENING


async def _open(update: Update, ctx: Ctx, state: str) -> Found | None:
    """The open check-in (of the step's kind, or of any kind at ``FINISH``)."""
    if state == aftercare.FINISH:
        return await draft(update, ctx, MORNING, quiet=True) or await draft(update, ctx, EVENING)
    return await draft(update, ctx, _kind(state))


async def keep(update: Update, ctx: Ctx, state: str, text: str) -> str | None:
    """Keep ``text`` as the answer of the step the open check-in records it waits for (the
    conversation ``state`` can lag one question behind: checkin_common.text_answer); returns
    the step to resume at. Nothing is said here: this runs right after the care message."""
    found = await draft(update, ctx, _kind(state), quiet=True)
    if found is None:
        return None
    step = _recorded(found, state)
    typed = TYPED.get(step)
    if typed is None:  # a button step: nothing to keep, its question is asked again
        return step if step != state else None
    typed.keep(ctx, *found, text)
    after = AFTER.get(step, aftercare.FINISH)
    if after != aftercare.FINISH:
        checkins.wait_for(ctx.db, found[0].id, after, ctx.now())  # asked on carrying on
    return after


def _recorded(found: Found, state: str) -> str:
    """The step the open check-in waits for; ``state`` for one from before steps were
    recorded (or at ``FINISH``, where nothing is left to ask)."""
    if state == aftercare.FINISH:
        return state
    return found[1].step or state


def _question(ctx: Ctx, state: str, found: Found) -> Question | None:
    if state == M_EMOTIONS:
        return checkin_morning.families_view(found[1].emotions)
    if state == M_INTENSITY:
        return t("checkin.ask_intensity"), checkin_morning.intensity_rows()
    if state == E_KEPT:
        return checkin_evening.kept_question(ctx, *found)
    questions = {
        M_NEED: checkin_morning.need_question,
        M_COMMIT: checkin_morning.commitment_question,
        E_INTERACTIONS: checkin_evening.interactions_question,
        E_NOTE: checkin_evening.note_question,
        E_TRIGGERED: checkin_evening.triggered_question,
        E_REPAIR: checkin_evening.repair_question,
        E_LESSON: checkin_evening.lesson_question,
    }
    build = questions.get(state)
    return build() if build is not None else None


async def resume(update: Update, ctx: Ctx, state: str) -> str | int:
    found = await _open(update, ctx, state)
    if found is None:
        return END
    step = _recorded(found, state)
    question = _question(ctx, step, found)
    if question is None:  # the last answer was kept: the check-in is done
        finish = checkin_morning.finish if found[1].kind == MORNING else checkin_evening.finish
        return await finish(update, ctx, found)
    await say(update, ctx, *question)
    return step


def register() -> None:
    aftercare.register(NAME, resume, keep)

"""Logging a practice ("Log a practice", or "Log it" after a planned one) on the step engine.

Rung (the suggested one first) → with whom (the person labels shared with the rest of
Steady) → distress before, at its peak, after (0–10) → where it showed in the body → what the
other did → what I feared → what happened → what I learned → stay on this rung or step up,
with the pacing suggestion above that last question. Every step can be skipped and every
answer is saved as it arrives, so /cancel or a restart loses nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine.choices import Choice, person
from bot.engine.guided import Guided
from bot.engine.steps import Picked, Scale, Step, Text
from bot.features.practice import rungs
from bot.handlers.common import Ctx, say
from bot.models import PracticeLog, User
from bot.services import pacing, practice
from bot.services.people import clean_label
from bot.services.practice_text import pace_note, readback

NAME = "practice"
P = "prl"  # callback prefix


def _decisions(ctx: Ctx, row: Any) -> list[tuple[str, str]]:
    return [(d, t(f"practice.decide_{d}")) for d in pacing.DECISIONS]


def _decision(ctx: Ctx, row: Any, key: str) -> str | None:
    return t(f"practice.decide_{key}") if key in pacing.DECISIONS else None


def save(ctx: Ctx, log: PracticeLog, step: str, value: object) -> PracticeLog | None:
    """Store a step's answer (None: skipped): a rung's id, a person's label, a number, the
    user's words, or the decision's id."""
    assert log.id is not None
    if step == "rung":
        value = rungs.rung_id(value)
    elif step == "decision":
        value = value.key if isinstance(value, Picked) else None
    elif isinstance(value, Picked):
        value = clean_label(value.label) or None
    return practice.LOG.save(ctx.db, log.user_id, log.id, step, ctx.now(), value)


def pacing_note(ctx: Ctx, log: PracticeLog) -> str | None:
    """Above "stay or step up?": what the pacing suggests after this try."""
    if log.rung_id is None:
        return None
    return pace_note(practice.pace(ctx.db, log), log.peak)


async def finish(update: Update, ctx: Ctx, user: User, log: PracticeLog, last: object) -> int:
    assert log.id is not None
    done = practice.LOG.finish(ctx.db, user.id, log.id, ctx.now()) or log
    await say(update, ctx, readback(done, practice.rung(ctx.db, user.id, done.rung_id)))
    return ConversationHandler.END


STEPS = (
    Step("rung", rungs.choice(), note=rungs.suggestion),
    Step("person", person()),
    Step("before", Scale("before")),
    Step("peak", Scale("peak")),
    Step("after", Scale("after")),
    *(Step(name, Text()) for name in practice.LOG_TEXTS),
    Step(
        "decision",
        Choice("decide", _decisions, _decision, typed_ok=False, label_clip=0),
        note=pacing_note,
    ),
)

#: The question of each step.
QUESTIONS = Family("practice.ask_{}", tuple(step.name for step in STEPS))

FLOW: Guided[PracticeLog] = Guided(NAME, P, practice.LOG, STEPS, save, finish)

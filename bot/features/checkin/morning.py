"""The morning check-in's steps, declared for the step engine (bot/engine/inplace.py):
emotions (the feelings wheel), intensity, what I need, one small commitment."""

from __future__ import annotations

from bot.engine.choices import Choice, Feelings
from bot.engine.guided import Found
from bot.engine.steps import Picked, Scale, Step, Text
from bot.engine.wheel import Wheel
from bot.handlers.common import Ctx
from bot.services import checkins, vocab

# Conversation states (persisted as these strings; ``checkins.step`` holds them too).
M_EMOTIONS, M_INTENSITY, M_NEED, M_COMMIT = "m_emotions", "m_intensity", "m_need", "m_commit"

#: The feelings wheel shared with the trigger log (bot/engine/wheel.py).
WHEEL = Wheel(
    "ci",
    "checkin.ask_emotions",
    "checkin.ask_emotion_words",
    "checkin.chosen",
    checkins.emotions_text,
)


def _commitments(ctx: Ctx, row: object) -> list[tuple[str, str]]:
    return [(c.id, c.label) for c in vocab.commitments()]


def _commitment(ctx: Ctx, row: object, key: str) -> str | None:
    try:
        return vocab.option("commitments", key).label
    except KeyError:
        return None


STEPS = (
    Step(
        M_EMOTIONS,
        Feelings(WHEEL, taps_resume=True),
        question="checkin.ask_emotions",
        field="emotions",
    ),
    Step(M_INTENSITY, Scale("int", typed_ok=False), question="checkin.ask_intensity"),
    Step(M_NEED, Text(), question="checkin.ask_need"),
    Step(
        M_COMMIT,
        Choice("com", _commitments, _commitment, per_row=1, label_clip=0),
        question="checkin.ask_commitment",
        keeps_text=True,  # typed words are a commitment of the user's own
    ),
)


def save(ctx: Ctx, found: Found, step: str, value: object) -> str | None:
    """Store a morning answer (None: skipped) with the step it now waits for; returns that
    step (None: the commitment, the last)."""
    db, user, checkin, now = ctx.db, found.user, found.row, ctx.now()
    if step == M_EMOTIONS:  # each tap was stored: nothing to write (a statement saved)
        return M_INTENSITY
    if step == M_COMMIT:
        if isinstance(value, Picked):
            key = {"suggestion_id": value.key} if value.key else {"text": value.label}
            checkins.commit_to(db, user, checkin, now, **key)
        return None
    after, column = {M_INTENSITY: (M_NEED, "intensity"), M_NEED: (M_COMMIT, "need")}[step]
    if value is None:
        checkins.wait_for(db, user.id, after, now)
    else:
        checkins.save(db, user, checkin, now, after, **{column: value})
    return after

"""/noticed's steps, declared for the step engine (bot/engine/guided.py), and its ending.

Who → what I expected (the old fear) → what they actually did → what it tells me; every step
can be skipped, and every answer is saved as it arrives, so /cancel or a restart loses nothing.
The last step completes the moment and reads it back in the user's words.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content.keys import Family
from bot.engine.choices import person
from bot.engine.guided import Guided
from bot.engine.steps import Picked, Step, Text
from bot.handlers.common import Ctx, say
from bot.models import NoticedMoment, User
from bot.services import noticed

NAME = "noticed"
P = "nt"  # callback prefix


def save(ctx: Ctx, moment: NoticedMoment, step: str, value: object) -> NoticedMoment | None:
    """Store a step's answer (None: skipped) as the user gave it (a choice: its label)."""
    text = value.label if isinstance(value, Picked) else value
    assert moment.id is not None and (text is None or isinstance(text, str))
    if step == "person" and text is not None:
        text = " ".join(text.split()) or None  # spaces collapsed, as labels are compared
    return noticed.save(ctx.db, moment.user_id, moment.id, step, ctx.now(), text)


async def finish(update: Update, ctx: Ctx, user: User, moment: NoticedMoment, last: object) -> int:
    assert moment.id is not None
    done = noticed.finish(ctx.db, moment.user_id, moment.id, ctx.now()) or moment
    await say(update, ctx, noticed.summary(done))
    return ConversationHandler.END


STEPS = (
    Step("person", person()),
    Step("expected", Text()),
    Step("actual", Text()),
    Step("meaning", Text()),
)

#: The question of each step.
QUESTIONS = Family("noticed.ask_{}", tuple(step.name for step in STEPS))

FLOW: Guided[NoticedMoment] = Guided(NAME, P, noticed, STEPS, save, finish)

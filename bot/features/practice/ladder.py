"""Building the ladder ("Build my ladder"), one rung at a time on the step engine: the kind of
closeness (an area), the rung (a starter of that area, or the user's own words), and the
distress they expect it to bring (0–10), by which the ladder is ordered."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine.choices import Choice
from bot.engine.guided import Guided
from bot.engine.steps import Picked, Scale, Step
from bot.handlers.common import Button, Ctx, say
from bot.models import PracticeRung, User
from bot.services import practice
from bot.services.practice import AREAS, STARTERS
from bot.services.practice_text import rung_name

NAME = "ladder"
P = "prr"  # callback prefix
OWN = "own"
MENU = "pr"  # the /practice menu's buttons (bot/features/practice/menu.py)


def _areas(ctx: Ctx, row: Any) -> list[tuple[str, str]]:
    return [(area, t(f"ladder.area_{area}")) for area in AREAS]


def _area(ctx: Ctx, row: Any, key: str) -> str | None:
    return t(f"ladder.area_{key}") if key in AREAS else None


def _starter_keys(row: Any) -> list[str]:
    """Both starters of the chosen area; with no area, the first starter of each."""
    if row.area in AREAS:
        return [f"{row.area}_{n}" for n in STARTERS]
    return [f"{area}_{STARTERS[0]}" for area in AREAS]


def _starters(ctx: Ctx, row: Any) -> list[tuple[str, str]]:
    keys = _starter_keys(row)
    return [(k, t(f"ladder.starter_{k}")) for k in keys] + [(OWN, t("ladder.own"))]


def _starter(ctx: Ctx, row: Any, key: str) -> str | None:
    if key == OWN:
        return t("ladder.own")
    return t(f"ladder.starter_{key}") if key in _starter_keys(row) else None


def save(ctx: Ctx, rung: PracticeRung, step: str, value: object) -> PracticeRung | None:
    """Store a step's answer: the area's id, the rung's words (a starter as shown), the number."""
    assert rung.id is not None
    if isinstance(value, Picked):
        value = value.key if step == "area" else " ".join(value.label.split()) or None
    return practice.RUNG.save(ctx.db, rung.user_id, rung.id, step, ctx.now(), value)


def more_rows() -> list[list[Button]]:
    """What to do next from the ladder: add a rung, log or plan a practice."""
    return [
        [(t("ladder.add_another"), f"{MENU}:build")],
        [(t("practice.menu_log"), f"{MENU}:log"), (t("practice.menu_plan"), f"{MENU}:plan")],
        [(t("practice.menu_ladder"), f"{MENU}:ladder")],
    ]


async def finish(update: Update, ctx: Ctx, user: User, rung: PracticeRung, last: object) -> int:
    assert rung.id is not None
    done = practice.RUNG.finish(ctx.db, user.id, rung.id, ctx.now()) or rung
    expected = "–" if done.expected is None else str(done.expected)
    await say(update, ctx, t("ladder.added", rung=rung_name(done), expected=expected), more_rows())
    return ConversationHandler.END


STEPS = (
    Step("area", Choice("area", _areas, _area, per_row=1, typed_ok=False, label_clip=0)),
    Step(
        "text",
        Choice("text", _starters, _starter, per_row=1, own=OWN, label_clip=0),
        skippable=False,
    ),
    Step("expected", Scale("exp"), skippable=False),
)

#: The question of each step, and the buttons of areas and starters.
QUESTIONS = Family("ladder.ask_{}", (*(s.name for s in STEPS), "text_other"))

FLOW: Guided[PracticeRung] = Guided(NAME, P, practice.RUNG, STEPS, save, finish)

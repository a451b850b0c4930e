"""/trigger's steps, declared for the step engine (bot/engine/guided.py), and its ending.

Situation → emotions (the feelings wheel) and intensity → body → who was involved → the story →
thinking traps → evidence for and against → a kinder reading → what I chose to do → intensity
again → where; then a short summary with the change in intensity. Who comes before the story,
so that "what facts don't fit it?" can show the user's own moments noticed with that person
(bot/services/noticed.py), dated and in their words, as evidence. Every choice is saved the
moment it is tapped (a toggled emotion too), so a restart or /cancel loses nothing.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine.choices import Choice, Explained, Feelings, Several, person, vocabulary
from bot.engine.guided import Guided
from bot.engine.steps import Picked, Scale, Step, Text
from bot.engine.wheel import Wheel
from bot.features.safety import grounding
from bot.handlers.common import Ctx, say
from bot.models import TriggerEntry, User
from bot.services import noticed, triggers, vocab

NAME = "trigger"
P = "tr"  # callback prefix


def save(ctx: Ctx, entry: TriggerEntry, step: str, value: object) -> TriggerEntry | None:
    """Store a step's answer (None: skipped) verbatim; a choice as its label."""
    fields: dict[str, object] = {}
    if isinstance(value, Picked):
        fields[step] = value.label
    elif value is not None:
        fields[step] = value
    assert entry.id is not None
    return triggers.save(ctx.db, entry.user_id, entry.id, step, ctx.now(), **fields)


def save_action(ctx: Ctx, entry: TriggerEntry, step: str, value: object) -> TriggerEntry | None:
    """What I did: one of the actions, or the user's own words (as the action "other")."""
    fields: dict[str, object] = {}
    if isinstance(value, Picked):
        fields = {"action_id": value.key, "action": None}
        if value.key is None:
            fields = {"action_id": "other", "action": value.label}
    assert entry.id is not None
    return triggers.save(ctx.db, entry.user_id, entry.id, step, ctx.now(), **fields)


def evidence(ctx: Ctx, entry: TriggerEntry) -> str | None:
    """The user's own moments noticed with the person (else with anyone), as evidence."""
    found = noticed.evidence(ctx.db, entry.user_id, entry.person)
    return noticed.evidence_text(found, entry.person)


def choose(ctx: Ctx, entry: TriggerEntry, field: str, values: list[str]) -> None:
    assert entry.id is not None
    triggers.set_choices(ctx.db, entry.user_id, entry.id, field, values, ctx.now())


async def finish(update: Update, ctx: Ctx, user: User, entry: TriggerEntry, last: object) -> int:
    """Complete the entry, read it back, and offer grounding if it is still strong."""
    assert entry.id is not None
    done = triggers.finish(ctx.db, entry.user_id, entry.id, ctx.now()) or entry
    await say(update, ctx, triggers.summary(done))
    if done.intensity_after is not None and done.intensity_after >= grounding.STILL_STRONG:
        await say(update, ctx, t("grounding.after_trigger"), grounding.offer_rows())
    return ConversationHandler.END


WHEEL = Wheel(
    P,
    "trigger.ask_emotions",
    "trigger.ask_emotions_family",
    "trigger.chosen",
    triggers.emotions_text,
)
DISTORTIONS = Several(
    "dis",
    "ddone",
    lambda: [(d.id, d.label) for d in vocab.distortions()],
    triggers.distortions_text,
    "trigger.none_fit",
    Explained(
        "trigger.distortions_info_heading",
        lambda: [
            t("trigger.distortion_info_line", label=d.label, explanation=d.explanation)
            for d in vocab.distortions()
        ],
        show=("trigger.info", "dinfo"),
        hide=("trigger.info_hide", "dhide"),
    ),
)

STEPS = (
    Step("situation", Text()),
    Step("emotions", Feelings(WHEEL)),
    Step("intensity_before", Scale("ib")),
    Step("body", Text()),
    Step("person", person()),
    Step("story", Text()),
    Step("distortions", DISTORTIONS),
    Step("evidence_for", Text()),
    Step("evidence_against", Text(), note=evidence),
    Step("balanced", Text()),
    Step(
        "action",
        Choice("act", *vocabulary("actions"), own="other"),
        keeps_text=True,  # typed words are the user's own action
        store=save_action,
    ),
    Step("intensity_after", Scale("ia")),
    Step("context", Choice("ctx", *vocabulary("contexts"))),
)


#: The question of each step.
QUESTIONS = Family("trigger.ask_{}", tuple(step.name for step in STEPS))
#: A choice the user can answer in their own words asks for them (engine/choices.py).
OWN_WORDS = Family("trigger.ask_{}_other", ("action",))

FLOW: Guided[TriggerEntry] = Guided(NAME, P, triggers, STEPS, save, finish, choose)

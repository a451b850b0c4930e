"""/trigger: asking each step's question with its buttons, moving on, and the closing summary."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot.content import t
from bot.content.keys import Family
from bot.engine import flow, pickers
from bot.engine.draft_flow import DraftFlow
from bot.features.safety import grounding
from bot.handlers.common import Button, Ctx, say
from bot.models import TriggerEntry, User
from bot.services import people, triggers, vocab
from bot.store.db import Database

NAME = "trigger"
P = "tr"  # callback prefix

#: The question of each step.
QUESTIONS = Family("trigger.ask_{}", triggers.STEPS)


def offer_rows() -> list[list[Button]]:
    """ "Log it now" / "Later": offered by other features (the evening check-in) to start a log."""
    return [[(t("trigger.offer_now"), f"{P}:start"), (t("trigger.offer_later"), f"{P}:later")]]


def skip_button(step: str) -> Button:
    return (t("trigger.skip"), f"{P}:skip:{step}")


def emotions_prompt(selected: list[str]) -> tuple[str, list[list[Button]]]:
    text = t("trigger.ask_emotions")
    if selected:
        text += "\n\n" + t("trigger.chosen", emotions=triggers.emotions_text(selected))
    return text, pickers.family_rows(P, selected)


def family_prompt(family_id: str, selected: list[str]) -> tuple[str, list[list[Button]]]:
    family = vocab.emotion_family(family_id)
    text = t("trigger.ask_emotions_family", family=family.label)
    if selected:
        text += "\n\n" + t("trigger.chosen", emotions=triggers.emotions_text(selected))
    return text, pickers.word_rows(P, family_id, selected)


def distortions_prompt(selected: list[str], info: bool) -> tuple[str, list[list[Button]]]:
    text = t("trigger.ask_distortions")
    if info:
        lines = [
            t("trigger.distortion_info_line", label=d.label, explanation=d.explanation)
            for d in vocab.distortions()
        ]
        text += "\n\n" + t("trigger.distortions_info_heading") + "\n" + "\n".join(lines)
    options = [(d.id, d.label) for d in vocab.distortions()]
    rows = pickers.toggle_rows(P, "dis", options, selected)
    info_button: Button = (
        (t("trigger.info_hide"), f"{P}:dhide") if info else (t("trigger.info"), f"{P}:dinfo")
    )
    rows.append([info_button])
    rows.append([pickers.done_button(P, "ddone", len(selected), t("trigger.none_fit"))])
    return text, rows


def person_rows(db: Database, user_id: int) -> list[list[Button]]:
    choices = [(c.key, c.label) for c in people.choices(db, user_id)]
    return [*pickers.choice_rows(P, "who", choices, per_row=3), [skip_button("person")]]


async def ask(update: Update, ctx: Ctx, step: str, entry: TriggerEntry) -> str:
    """Send the question of ``step``; returns the conversation state (the step's name)."""
    rows: list[list[Button]]
    if step == "emotions":
        text, rows = emotions_prompt(entry.emotions)
    elif step in ("intensity_before", "intensity_after"):
        action = "ib" if step == "intensity_before" else "ia"
        text = t(f"trigger.ask_{step}")
        rows = pickers.intensity_rows(P, action, f"{P}:skip:{step}")
    elif step == "distortions":
        text, rows = distortions_prompt(entry.distortions, info=False)
    elif step == "action":
        options = [(o.id, o.label) for o in vocab.options("actions")]
        text = t("trigger.ask_action")
        rows = [*pickers.choice_rows(P, "act", options), [skip_button(step)]]
    elif step == "person":
        text, rows = t("trigger.ask_person"), person_rows(ctx.db, entry.user_id)
    elif step == "context":
        options = [(o.id, o.label) for o in vocab.options("contexts")]
        text = t("trigger.ask_context")
        rows = [*pickers.choice_rows(P, "ctx", options), [skip_button(step)]]
    else:
        text, rows = t(f"trigger.ask_{step}"), [[skip_button(step)]]
    await flow.prompt(update, ctx, NAME, text, rows)
    return step


async def advance(update: Update, ctx: Ctx, entry: TriggerEntry | None) -> str | int:
    """Ask the next unanswered step, or finish the entry after the last one."""
    if entry is None or entry.id is None:
        return await gone(update, ctx)
    step = triggers.next_step(entry.step)
    if step is not None:
        return await ask(update, ctx, step, entry)
    await flow.clear_prompt(update, ctx, NAME)
    done = triggers.finish(ctx.db, entry.user_id, entry.id, ctx.now()) or entry
    await say(update, ctx, triggers.summary(done))
    if done.intensity_after is not None and done.intensity_after >= grounding.STILL_STRONG:
        await say(update, ctx, t("grounding.after_trigger"), grounding.offer_rows())
    return ConversationHandler.END


async def gone(update: Update, ctx: Ctx) -> int:
    """The draft this conversation was filling is no longer open (discarded, deleted)."""
    return await flow.gone(update, ctx, NAME)


async def _proceed(update: Update, ctx: Ctx, user: User, entry: TriggerEntry) -> str | int:
    return await advance(update, ctx, entry)


def keep_answer(
    ctx: Ctx, entry: TriggerEntry, entry_id: int, step: str, text: str
) -> TriggerEntry | None:
    """A free-text answer kept as it was typed (the action: as the user's own action)."""
    fields: dict[str, object] = {step: text}
    if step == "action":
        fields = {"action_id": "other", "action": text}
    return triggers.save(ctx.db, entry.user_id, entry_id, step, ctx.now(), **fields)


FLOW = DraftFlow(NAME, P, triggers, ask, _proceed, triggers.TEXT_STEPS | {"action"}, keep_answer)

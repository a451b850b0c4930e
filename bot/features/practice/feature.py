"""The practice feature: /practice, the closeness ladder at the user's own pace — rungs ordered
by the distress expected, practices logged with the pacing suggestion, practices planned with
a reminder and a follow-up."""

from __future__ import annotations

from bot.engine import opening
from bot.features.base import Command, Conversation, Feature, Prompt
from bot.features.practice import followup, handlers, ladder, log, menu, plan
from bot.features.practice.records import RECORDS
from bot.services import practice, practice_text
from bot.services.records.practice import HISTORY

FEATURE = Feature(
    name="practice",
    prefixes=(menu.P, log.P, ladder.P, plan.P),
    commands=(Command("practice", "practice.command_practice"),),
    register=handlers.register,
    conversations=(
        # Left hanging, each stays a draft the next "Log", "Build" or "Plan" offers to continue.
        Conversation(log.NAME, cancel_note=log.FLOW.cancel_note),
        Conversation(ladder.NAME, cancel_note=ladder.FLOW.cancel_note),
        Conversation(plan.NAME, cancel_note=plan.FLOW.cancel_note),
    ),
    prompts=(
        Prompt(practice.REMINDER_KIND, followup.send_reminder),
        Prompt(practice.FOLLOWUP_KIND, followup.send_followup),
    ),
    records=RECORDS,
    texts=(
        *opening.texts(log.NAME),
        *opening.texts(ladder.NAME),
        *opening.texts(plan.NAME),
        log.QUESTIONS,
        ladder.QUESTIONS,
        plan.QUESTIONS,
        plan.WHEN,
        *plan.REPLIES,
        practice_text.AREA_LABELS,
        practice_text.STARTER_LABELS,
        practice_text.DECISIONS,
        practice_text.DECIDED,
        practice_text.READBACK,
        HISTORY,
        menu.OPENS,
    ),
)

"""The checkin feature: Morning and evening check-ins, their prompts, snooze and skip."""

from __future__ import annotations

from bot.engine import inplace
from bot.features.base import Command, Conversation, Feature, Prompt
from bot.features.checkin import handlers, prompts
from bot.features.checkin.prompts import NAME, send_prompt
from bot.features.checkin.records import RECORDS
from bot.outbound.idle import Idle
from bot.services import checkins

FEATURE = Feature(
    name="checkin",
    prefixes=("ci",),
    commands=(Command("checkin", "checkin.command_checkin"),),
    register=handlers.register,
    conversations=(
        Conversation(
            NAME,
            cancel_note=handlers.cancel_note,
            # Waits as long as its prompt's buttons work; closed, answers kept.
            idle=Idle(checkins.PROMPT_LIFETIME, checkins.close_unfinished),
        ),
    ),
    prompts=tuple(Prompt(kind, send_prompt) for kind in checkins.PROMPT_KINDS),
    records=RECORDS,
    texts=(*inplace.texts(prompts.NAME), prompts.PROMPTS, checkins.ACK_KEPT),
)

"""The feature list is checked at start-up: anything claimed twice stops the bot, saying what
and by whom; what the features declare is all the house gathers (nothing registered on import).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from telegram import Message, Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ConversationHandler

from bot.app import FEATURES, GENERAL_COMMANDS, gather
from bot.features.base import (
    Command,
    Conversation,
    Feature,
    FeatureError,
    Prompt,
    add_handlers,
    check,
)
from bot.handlers.common import Ctx
from bot.models import DuePrompt, User
from bot.outbound.idle import HANGING_AFTER


async def _send(ctx: Ctx, user: User, prompt: DuePrompt) -> Message | None:
    return None


async def _go(update: Update, ctx: Ctx) -> None:
    return None


def _nothing(app: Application) -> None:  # type: ignore[type-arg]
    return None


def feature(name: str, **declared: object) -> Feature:
    fields: dict = {"prefixes": (), "commands": (), "register": _nothing, **declared}  # type: ignore[type-arg]
    return Feature(name=name, **fields)


def both(**declared: object) -> list[Feature]:
    """Features 'a' and 'b', each declaring the same thing."""
    return [feature("a", **declared), feature("b", **declared)]


@pytest.mark.parametrize(
    ("features", "message"),
    [
        (both(prefixes=("x",)), "callback prefix 'x' is claimed by both 'a' and 'b'"),
        (both(commands=(Command("go", "k.go"),)), "command /go is claimed by both 'a' and 'b'"),
        (
            [feature("a", commands=(Command("help", "k.help"),))],
            "command /help is claimed by both 'general' and 'a'",
        ),
        (
            both(prompts=(Prompt("weekly", _send),)),
            "prompt kind 'weekly' is claimed by both 'a' and 'b'",
        ),
        (
            both(conversations=(Conversation("talk"),)),
            "conversation 'talk' is claimed by both 'a' and 'b'",
        ),
        (
            [feature("a", conversations=(Conversation("talk"), Conversation("talk")))],
            "conversation 'talk' is claimed twice by 'a'",
        ),
    ],
)
def test_anything_claimed_twice_stops_the_bot_saying_what_and_by_whom(
    features: list[Feature], message: str
) -> None:
    with pytest.raises(FeatureError) as raised:
        check(features, GENERAL_COMMANDS)
    assert str(raised.value) == message
    with pytest.raises(FeatureError):
        gather(features)  # what bot/app.py calls while building the bot


def test_a_conversation_added_but_not_declared_stops_the_bot() -> None:
    def register(app: Application) -> None:  # type: ignore[type-arg]
        app.add_handler(ConversationHandler([CommandHandler("go", _go)], {}, [], name="talk"))

    app = ApplicationBuilder().token("1:X").build()
    with pytest.raises(FeatureError) as raised:
        add_handlers(app, [feature("a", register=register)])
    assert str(raised.value) == (
        "feature 'a' adds conversation 'talk' without declaring it (Feature.conversations)"
    )
    add_handlers(app, [feature("b", register=_nothing, conversations=(Conversation("talk"),))])


def test_the_features_declare_every_prompt_kind_and_how_each_conversation_idles() -> None:
    registry = gather(FEATURES)
    assert sorted(registry.senders) == [
        "evening",
        "morning",
        "practice_followup",
        "practice_reminder",
        "repair_followup",
        "snooze",
        "weekly",
    ]
    waits = {name: idle.after for name, idle in registry.idle.items()}
    assert waits == {
        "onboarding": None,  # never closed: it waits for the user to finish
        "checkin": timedelta(hours=12),
        "trigger": HANGING_AFTER,
        "repair": HANGING_AFTER,
        "repair_followup": HANGING_AFTER,
        "noticed": HANGING_AFTER,
        "practice": HANGING_AFTER,
        "ladder": HANGING_AFTER,
        "practice_plan": HANGING_AFTER,
        "script": HANGING_AFTER,
        "report": HANGING_AFTER,
        "settings": HANGING_AFTER,
        "safetyplan": HANGING_AFTER,
    }
    assert sorted(registry.cancel_notes) == [
        "checkin",
        "ladder",
        "noticed",
        "practice",
        "practice_plan",
        "repair",
        "report",
        "safetyplan",
        "trigger",
    ]


def test_outbound_is_imported_without_any_feature() -> None:
    code = (
        "import sys\n"
        "import bot.outbound.idle, bot.outbound.send, bot.outbound.senders, bot.outbound.sweep\n"
        "print(sorted(m for m in sys.modules if m.startswith('bot.features')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

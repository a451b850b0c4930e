"""/help and Telegram's command menu agree: every command, one line each, in a sensible order."""

from __future__ import annotations

from telegram.ext import CommandHandler, ConversationHandler

from tests.e2e.rig import BotRig

ORDER = [
    "start",
    "checkin",
    "trigger",
    "repair",
    "noticed",
    "practice",
    "script",
    "summary",
    "history",
    "report",
    "settings",
    "timezone",
    "morning",
    "evening",
    "weekly",
    "pause",
    "resume",
    "language",
    "export",
    "delete",
    "sos",
    "safetyplan",
    "help",
    "cancel",
]


def handled_commands(rig: BotRig) -> set[str]:
    """Every command some handler answers, conversations' entry points included."""
    assert rig.app is not None
    found: set[str] = set()
    for group in rig.app.handlers.values():
        for handler in group:
            inner = handler.entry_points if isinstance(handler, ConversationHandler) else [handler]
            for candidate in inner:
                if isinstance(candidate, CommandHandler):
                    found |= set(candidate.commands)
    return found


async def test_help_and_the_menu_list_the_same_commands_in_order(rig: BotRig) -> None:
    (reply,) = await rig.user(1001).ask("/help")
    menu = rig.server.calls("setMyCommands")[-1].params["commands"]
    assert [c["command"] for c in menu] == ORDER

    intro, _, listing = (reply.text or "").partition("\n\n")
    assert "Here's what I can do" in intro
    lines = listing.splitlines()
    assert lines == [f"/{c['command']} — {c['description']}" for c in menu]  # one line each
    assert len(reply.text or "") < 4096


async def test_every_listed_command_is_answered_and_every_answered_one_listed(
    rig: BotRig,
) -> None:
    assert handled_commands(rig) == set(ORDER)

"""Conversations the simulated users run: a list of steps (send a text / tap a label).

Each step names how the bot answers it: ``replies`` new messages (``via="send"``), or an
edit of a message's text in place (``via="edit"``, e.g. a multi-select ticking a word). A
step's latency is the time from pushing the update to the first answer reaching the fake
server. A flow may ``prepare`` the database first (users that must already exist, untimed).

- onboarding: /start -> Let's begin -> Berlin -> Yes -> 08:00 default -> 21:00 default.
- morning: the full morning check-in (/checkin morning -> a feeling family -> a word -> Done
  -> intensity -> Skip the need -> a suggested commitment), for onboarded users.
- evening, trigger, repair, noticed, safetyplan: every other guided conversation, answered
  in full with typed answers where it takes text (bench/guided_flows.py).

How each step is answered is pinned against the real bot, step by step, in
tests/e2e/test_bench_flows.py: a definition that drifts from the bot fails there first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.content import t
from bot.services import profile, vocab
from bot.store import users
from bot.store.db import Database

Prepare = Callable[[Database, Sequence[int], datetime], None]
ECHO_LABEL = "Echo"


@dataclass(frozen=True)
class Step:
    action: Literal["send", "tap"]
    value: str  # the text sent, or the label of the button tapped
    replies: int = 1  # messages the bot sends in answer (sendMessage/sendPhoto/sendDocument)
    via: Literal["send", "edit"] = "send"  # "edit": answered by editing a message's text


def send(text: str, replies: int = 1) -> Step:
    return Step("send", text, replies)


def tap(label: str, replies: int = 1, via: Literal["send", "edit"] = "send") -> Step:
    return Step("tap", label, replies, via)


@dataclass(frozen=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    final_text: str | None = None  # a phrase the last reply must contain (correctness)
    prepare: Prepare | None = None

    @property
    def replies(self) -> int:
        """New messages the whole flow gets (edits in place not counted)."""
        return sum(step.replies for step in self.steps if step.via == "send")


def onboarding() -> Flow:
    return Flow(
        "onboarding",
        (
            send("/start"),
            tap(t("onboarding.consent_button")),
            send("Berlin"),
            tap(t("onboarding.confirm_yes")),
            tap(t("onboarding.default_time", time=profile.DEFAULT_MORNING)),
            tap(t("onboarding.default_time", time=profile.DEFAULT_EVENING)),
        ),
        final_text=t("onboarding.done").split(",", 1)[0],  # "All set"
    )


def seed_onboarded(db: Database, user_ids: Sequence[int], now: datetime) -> None:
    """Users who finished onboarding (Berlin, default times), as the product stores them."""
    for user_id in user_ids:
        users.ensure(db, user_id, user_id, f"User{user_id}", "en", now)
        profile.record_consent(db, user_id, now)
        profile.set_timezone(db, user_id, "Europe/Berlin", now)
        profile.complete_onboarding(db, user_id, now)


def morning_checkin() -> Flow | None:
    """The full morning check-in, or None while bot/features/checkin/handlers.py does not exist.

    Labels come from the content files, so wording changes do not break it; if a key or a
    vocabulary id used here goes away, this returns None and the smoke test skips it.
    """
    try:
        importlib.import_module("bot.features.checkin.handlers")
        family = vocab.emotion_family("scared")
        word = next(w for w in family.words if w.id == "anxious")
        commitment = vocab.option("commitments", "ask_support")
        steps = (
            send("/checkin morning"),  # the intro with the first question
            tap(family.label, via="edit"),  # the question turns into the family's words
            tap(word.label, via="edit"),  # the word gets its tick
            # Answered by a button, a question turns into the next one in place:
            tap(t("flow.done_count", count=1), via="edit"),  # intensity
            tap("6", via="edit"),  # what I need
            tap(t("common.skip"), via="edit"),  # one small commitment
            tap(commitment.label),  # the summary, a new message
        )
        final = t("checkin.morning_done", summary="").split(".", 1)[0]
    except (ImportError, KeyError, StopIteration):
        return None
    return Flow("morning check-in", steps, final_text=final, prepare=seed_onboarded)


def _guided() -> dict[str, Callable[[], Flow | None]]:
    from bench import guided_flows

    return guided_flows.FLOWS


FLOWS: dict[str, Callable[[], Flow | None]] = {
    "onboarding": onboarding,
    "morning": morning_checkin,
    **_guided(),
}


def echo_flow(flow: Flow) -> Flow:
    """The same sequence of update kinds for the echo bot: taps press its one button."""
    steps = tuple(
        Step(step.action, ECHO_LABEL if step.action == "tap" else step.value, 1)
        for step in flow.steps
    )
    return Flow(f"{flow.name} (echo)", steps)

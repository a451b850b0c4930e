"""Conversations the simulated users run: a list of steps (send a text / tap a label).

Each step names how many messages the bot answers it with (``replies``); a step's latency is
the time from pushing the update to the first of them reaching the fake server. A flow may
``prepare`` the database first (users that must already exist, untimed).

ONBOARDING is the stand-in for the inbound benchmark until the morning check-in lands:
/start -> Let's begin -> Berlin -> Yes -> 08:00 default -> 21:00 default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.content import t
from bot.services import profile
from bot.store import users
from bot.store.db import Database

Prepare = Callable[[Database, Sequence[int], datetime], None]
ECHO_LABEL = "Echo"


@dataclass(frozen=True)
class Step:
    action: Literal["send", "tap"]
    value: str  # the text sent, or the label of the button tapped
    replies: int = 1  # messages the bot sends in answer (sendMessage/sendPhoto/sendDocument)


def send(text: str, replies: int = 1) -> Step:
    return Step("send", text, replies)


def tap(label: str, replies: int = 1) -> Step:
    return Step("tap", label, replies)


@dataclass(frozen=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    final_text: str | None = None  # a phrase the last reply must contain (correctness)
    prepare: Prepare | None = None

    @property
    def replies(self) -> int:
        return sum(step.replies for step in self.steps)


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
    """PLACEHOLDER until feat/checkin lands: the full morning check-in, or None.

    Switch-on (issue 3): return a Flow like the sketch below with the real labels (from
    ``t("checkin....")``) and reply counts, ``prepare=seed_onboarded``, and a final_text::

        Flow("morning check-in", (
            send("/checkin morning"),          # or tap the Start button of a sent prompt
            tap(<an emotion family>),
            tap(<a word of that family>),
            tap(<Done>),
            tap(<an intensity, e.g. "6">),
            tap(<Skip> (the need)),
            tap(<a suggested commitment>),
        ), final_text=<a phrase of the closing message>, prepare=seed_onboarded)

    Steps that only edit a message in place (a multi-select toggling its buttons) answer
    with no sendMessage: give them ``replies=0`` only if the next step does not depend on
    them, or count edits as replies in bench/server.py REPLY_METHODS.
    """
    return None


FLOWS: dict[str, Callable[[], Flow | None]] = {
    "onboarding": onboarding,
    "morning": morning_checkin,
}


def echo_flow(flow: Flow) -> Flow:
    """The same sequence of update kinds for the echo bot: taps press its one button."""
    steps = tuple(
        Step(step.action, ECHO_LABEL if step.action == "tap" else step.value, 1)
        for step in flow.steps
    )
    return Flow(f"{flow.name} (echo)", steps)

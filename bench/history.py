"""One seeded user's past ``days`` days: prompts sent, check-ins, commitments, triggers, repairs.

Rates (per day): morning check-in 80% (5% of them skipped), evening check-in 65%, a
commitment on 80% of completed mornings, a trigger logged 25%, a repair plan 5%.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any, Protocol

from bench.seed import (
    CHECKIN_COLUMNS,
    COMMITMENT_COLUMNS,
    PROMPT_COLUMNS,
    REPAIR_COLUMNS,
    TRIGGER_COLUMNS,
    Person,
    _at,
    emotion_ids,
)
from bot.services import vocab

NEEDS = ("Some quiet time", "A hug", "To be heard", "Rest", None, None)
LESSONS = ("I asked for what I needed.", "I paused before answering.", None, None, None)
SITUATIONS = ("They did not answer my message for hours.", "A plan got cancelled last minute.")
STORIES = ("They don't care about me.", "I am too much for people.")
BALANCED = ("They were busy; it is not about me.", "One cancelled plan is not a pattern.")


class Rows(Protocol):
    def row(self, table: str, columns: str, values: tuple[Any, ...]) -> None: ...


class _Vocab:
    emotions = emotion_ids()
    distortions = [d.id for d in vocab.distortions()]
    commitments = [c.id for c in vocab.commitments()]
    interactions = [o.id for o in vocab.options("interactions")]
    actions = [o.id for o in vocab.options("actions")]
    people = [o.id for o in vocab.options("people")]


def _emotions(rng: random.Random) -> str:
    return json.dumps(rng.sample(_Vocab.emotions, rng.randint(1, 3)))


def write_history(out: Rows, p: Person, now: datetime, days: int, rng: random.Random) -> None:
    today = now.date()
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        morning = _at(day, p.morning, p.zone)
        evening = _at(day, p.evening, p.zone)
        for kind, due in (("morning", morning), ("evening", evening)):
            _sent(out, p.id, kind, due, rng)
        if day.weekday() == p.weekly_day:
            _sent(out, p.id, "weekly", _at(day, p.weekly, p.zone), rng)
        if rng.random() < 0.8:
            _morning(out, p.id, day, morning, rng)
        if rng.random() < 0.65:
            _evening(out, p.id, day, evening, rng)
        if rng.random() < 0.25:
            _trigger(out, p.id, day, morning + timedelta(hours=rng.randint(2, 10)), rng)
        if rng.random() < 0.05:
            _repair(out, p.id, day, evening - timedelta(hours=1), rng)


def _sent(out: Rows, user_id: int, kind: str, due: datetime, rng: random.Random) -> None:
    sent = due + timedelta(seconds=rng.randint(1, 40))
    row = (user_id, kind, due, "sent", 1, sent, rng.randint(1, 2**31), due - timedelta(days=1))
    out.row("due_prompts", PROMPT_COLUMNS, row)


def _morning(out: Rows, user_id: int, day: Any, due: datetime, rng: random.Random) -> None:
    started = due + timedelta(minutes=rng.randint(0, 90))
    done = started + timedelta(minutes=2)
    row: tuple[Any, ...]
    if rng.random() < 0.06:  # skipped
        row = (user_id, "morning", day, "skipped", started, started, None, "[]", None, None,
               None, None, None, None, None)  # fmt: skip
        out.row("checkins", CHECKIN_COLUMNS, row)
        return
    row = (user_id, "morning", day, "completed", started, done, done, _emotions(rng),
           rng.randint(0, 10), rng.choice(NEEDS), None, None, None, None, None)  # fmt: skip
    out.row("checkins", CHECKIN_COLUMNS, row)
    if rng.random() < 0.8:
        own = rng.random() < 0.2
        text = "Call my sister and listen" if own else None
        suggestion = None if own else rng.choice(_Vocab.commitments)
        outcome = rng.choice(("yes", "yes", "partly", "no", None))
        resolved = done + timedelta(hours=12) if outcome else None
        row = (user_id, day, text, suggestion, outcome, done, resolved)
        out.row("commitments", COMMITMENT_COLUMNS, row)


def _evening(out: Rows, user_id: int, day: Any, due: datetime, rng: random.Random) -> None:
    started = due + timedelta(minutes=rng.randint(0, 60))
    done = started + timedelta(minutes=3)
    row = (user_id, "evening", day, "completed", started, done, done, "[]", None, None,
           rng.choice(_Vocab.interactions), rng.choice(("yes", "no", "no")),
           rng.choice(("none", "none", "attempted", "succeeded")),
           rng.choice(("yes", "partly", "no", "none")), rng.choice(LESSONS))  # fmt: skip
    out.row("checkins", CHECKIN_COLUMNS, row)


def _trigger(out: Rows, user_id: int, day: Any, at: datetime, rng: random.Random) -> None:
    completed = rng.random() < 0.8
    before = rng.randint(4, 10)
    row = (user_id, day, "completed" if completed else "draft", at, at + timedelta(minutes=6),
           at + timedelta(minutes=6) if completed else None, rng.choice(SITUATIONS),
           _emotions(rng), before, rng.choice(STORIES),
           json.dumps(rng.sample(_Vocab.distortions, rng.randint(1, 2))),
           rng.choice(BALANCED) if completed else None,
           rng.choice(_Vocab.actions) if completed else None,
           max(0, before - rng.randint(0, 4)) if completed else None,
           rng.choice(_Vocab.people))  # fmt: skip
    out.row("triggers", TRIGGER_COLUMNS, row)


def _repair(out: Rows, user_id: int, day: Any, at: datetime, rng: random.Random) -> None:
    followup = at + timedelta(days=1)
    row = (user_id, day, "completed", at, at, at + timedelta(minutes=8), "partner",
           "We argued about the weekend plans.", "Check in before making plans",
           followup, rng.choice(("happened", "not_yet", None)))  # fmt: skip
    out.row("repair_plans", REPAIR_COLUMNS, row)

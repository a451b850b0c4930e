"""The closeness ladder (/practice): rungs, practices logged, practices planned.

Three drafts answered one step at a time (``Drafts``: what the step engine needs of each):
a rung (area → the rung in a starter's or the user's own words → the distress expected), a
practice (rung → with whom → distress before, at the peak, after → the body → what the other
did → what I feared → what happened → what I learned → stay or step up) and a plan (rung →
with whom → when). A finished plan books two due prompts: a reminder at its time and a
follow-up afterwards that offers to log it (``ref_id``: the plan). Pacing is bot/services/
pacing.py; the texts the user reads are in bot/services/practice_text.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import EllipsisType
from typing import Any, Generic

from bot.models import PracticeLog, PracticePlan, PracticeRung, User
from bot.services import drafts, pacing
from bot.services.due import safe_time, safe_zone
from bot.services.parse import moments
from bot.services.profile import zone_for_safe
from bot.services.schedule import next_daily
from bot.store import practice as store
from bot.store import prompts
from bot.store.db import Database
from bot.store.drafts import DraftTable, Row

REMINDER_KIND, FOLLOWUP_KIND = "practice_reminder", "practice_followup"
CLASH = timedelta(minutes=30)  # a follow-up this close to the evening check-in is moved
LOGGED, NOT_DONE = "logged", "not_done"
AREAS = ("sharing", "support", "receiving", "disagreement", "boundary")
STARTERS = ("1", "2")  # two starter rungs per area: "ladder.starter_<area>_<n>"
SCALES = ("before", "peak", "after")
LOG_TEXTS = ("body", "other_did", "feared", "happened", "learned")


@dataclass
class Drafts(Generic[Row]):
    """One draft table as the step engine sees it (opening.Service): its steps, and which
    column each step's answer goes to (default: the step's name)."""

    table: DraftTable[Row]
    STEPS: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)

    def column(self, step: str) -> str:
        return self.fields.get(step, step)

    def next_step(self, step: str | None) -> str | None:
        return drafts.next_step(self.STEPS, step)

    def answered(self, row: Row) -> int:
        return drafts.answered(self.STEPS, row.step)

    def has_answers(self, row: Row) -> bool:
        return row.step is not None or any(
            getattr(row, self.column(s)) is not None for s in self.STEPS
        )

    def current(self, db: Database, user_id: int) -> Row | None:
        return self.table.latest_draft(db, user_id)

    def user_and_current(self, db: Database, user_id: int) -> tuple[User, Row | None] | None:
        """The user and their open draft, in one statement (every step reads both)."""
        return self.table.user_and_draft(db, user_id)

    def start(
        self, db: Database, user: User, now: datetime, found: Row | None | EllipsisType = ...
    ) -> Row:
        return drafts.start(db, self.table, user, now, self.has_answers, found)

    def start_fresh(self, db: Database, user: User, now: datetime) -> Row:
        return drafts.start_fresh(db, self.table, user, now)

    def save(
        self, db: Database, user_id: int, row_id: int, step: str, now: datetime, value: object
    ) -> Row | None:
        """Store the answer of ``step`` (None: skipped) and mark the step as answered."""
        if step not in self.STEPS:
            raise ValueError(f"unknown step {step!r}")
        extra: dict[str, Any] = {} if value is None else {self.column(step): value}
        return self.table.update(db, user_id, row_id, now, step=step, **extra)

    def finish(self, db: Database, user_id: int, row_id: int, now: datetime) -> Row | None:
        return self.table.update(db, user_id, row_id, now, status=store.COMPLETED, completed_at=now)


RUNG: Drafts[PracticeRung] = Drafts(store.RUNGS, ("area", "text", "expected"))
LOG: Drafts[PracticeLog] = Drafts(
    store.LOGS, ("rung", "person", *SCALES, *LOG_TEXTS, "decision"), {"rung": "rung_id"}
)
PLAN: Drafts[PracticePlan] = Drafts(
    store.PLANS, ("rung", "person", "when"), {"rung": "rung_id", "when": "when_text"}
)


# --- the ladder -----------------------------------------------------------------------------


def ladder(db: Database, user_id: int) -> list[PracticeRung]:
    """The user's rungs, lowest expected distress first."""
    return pacing.ordered(store.ladder(db, user_id))


def rung(db: Database, user_id: int, rung_id: int | None) -> PracticeRung | None:
    """The user's finished rung, or None (unknown, not theirs, a draft)."""
    if rung_id is None:
        return None
    found = store.RUNGS.get(db, user_id, rung_id)
    return found if found is not None and found.status == store.COMPLETED else None


def take_off(db: Database, user_id: int, rung_id: int, now: datetime) -> PracticeRung | None:
    """Take the user's rung off their ladder (closed: the practices logged on it stay);
    None when it is not on their ladder."""
    if rung(db, user_id, rung_id) is None:
        return None
    return store.RUNGS.update(db, user_id, rung_id, now, status=store.CLOSED)


def next_rung(db: Database, user_id: int) -> PracticeRung | None:
    return pacing.next_rung(ladder(db, user_id), store.logs(db, user_id))


@dataclass(frozen=True, slots=True)
class Progress:
    rung: PracticeRung
    tries: int
    came_down: int
    steady: bool
    next: bool


def progress(db: Database, user_id: int) -> list[Progress]:
    """Every rung in order with its tries, how often the distress came down, and which is next."""
    rungs, logs = ladder(db, user_id), store.logs(db, user_id)
    suggested = pacing.next_rung(rungs, logs)
    return [
        Progress(
            r,
            len(pacing.tries(r.id, logs)),
            pacing.settled(r.id, logs),
            pacing.steady(r.id, logs),
            suggested is not None and r.id == suggested.id,
        )
        for r in rungs
    ]


def pace(db: Database, log: PracticeLog) -> pacing.Pacing:
    """The suggestion after ``log`` (a draft or just finished) given the earlier practices."""
    earlier = [done for done in store.logs(db, log.user_id) if done.id != log.id]
    return pacing.pace(ladder(db, log.user_id), earlier, log)


def rung_choices(db: Database, user_id: int) -> list[PracticeRung]:
    """The rungs to pick from: the suggested one first, then the ladder in order."""
    rungs = ladder(db, user_id)
    first = pacing.next_rung(rungs, store.logs(db, user_id))
    return ([first] if first else []) + [r for r in rungs if first is None or r.id != first.id]


def logs_between(db: Database, user_id: int, first: Any, last: Any) -> list[PracticeLog]:
    return store.logs_between(db, user_id, first, last)


# --- plans, their reminder and follow-up ----------------------------------------------------


def book(db: Database, user: User, plan_id: int, now: datetime) -> PracticePlan | None:
    """Finish a plan: a reminder at its time and a follow-up afterwards (none without a time)."""
    plan = PLAN.finish(db, user.id, plan_id, now)
    if plan is None or plan.planned_at is None:
        return plan
    zone = zone_for_safe(user.timezone)
    followup = clear_of_evening(user, moments.followup_time(plan.planned_at, zone, now))
    prompts.add(db, user.id, REMINDER_KIND, plan.planned_at, now, ref_id=plan_id)
    prompts.add(db, user.id, FOLLOWUP_KIND, followup, now, ref_id=plan_id)
    return store.PLANS.update(db, user.id, plan_id, now, followup_at=followup)


def plan_when(
    db: Database, user_id: int, plan_id: int, now: datetime, label: str, at: datetime
) -> PracticePlan | None:
    """The plan's time, as the user gave it and as the instant it names."""
    return store.PLANS.update(
        db, user_id, plan_id, now, step="when", when_text=label, planned_at=at
    )


def clear_of_evening(user: User, followup: datetime) -> datetime:
    """The follow-up moved half an hour before the user's evening check-in when it would
    arrive within half an hour of it (a practice at 19:00 is followed up at 21:00, the default
    evening check-in): two messages at once, one of them is easily lost."""
    evening = next_daily(
        safe_time(user.evening_time, "21:00"), safe_zone(user.timezone), followup - CLASH
    )
    if abs(evening - followup) >= CLASH:
        return followup
    return evening - CLASH


def open_plan(db: Database, user_id: int, plan_id: int | None) -> PracticePlan | None:
    """A finished plan a reminder or follow-up may still ask about (not logged, not let go)."""
    if plan_id is None:
        return None
    plan = store.PLANS.get(db, user_id, plan_id)
    if plan is None or plan.status != store.COMPLETED or plan.outcome is not None:
        return None
    return plan


def log_from_plan(db: Database, user: User, plan_id: int, now: datetime) -> PracticeLog | None:
    """A practice to log from a plan: its rung and person filled in, the next question the
    distress before. Any other open practice draft is put aside."""
    plan = open_plan(db, user.id, plan_id)
    if plan is None:
        return None
    store.PLANS.update(db, user.id, plan_id, now, outcome=LOGGED)
    log = LOG.start_fresh(db, user, now)
    assert log.id is not None
    return store.LOGS.update(
        db,
        user.id,
        log.id,
        now,
        rung_id=plan.rung_id,
        person=plan.person,
        plan_id=plan_id,
        step="person",
    )


def let_go(db: Database, user_id: int, plan_id: int, now: datetime) -> bool:
    """ "Not this time": the plan stays, nothing more is asked about it."""
    if open_plan(db, user_id, plan_id) is None:
        return False
    return store.PLANS.update(db, user_id, plan_id, now, outcome=NOT_DONE) is not None


def counts(logs: Sequence[PracticeLog]) -> tuple[int, float | None, float | None]:
    """How many practices, and the mean distress before and after (of those that have both)."""
    pairs = [
        (log.before, log.after) for log in logs if log.before is not None and log.after is not None
    ]
    if not pairs:
        return len(logs), None, None
    return len(logs), sum(b for b, _ in pairs) / len(pairs), sum(a for _, a in pairs) / len(pairs)

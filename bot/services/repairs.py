"""Repair planning: its steps, drafts, the personalised script, and the follow-up.

As with the trigger log, a user has at most one draft (the latest plan with status ``draft``);
each answer is written as it arrives and ``step`` records the last step answered. The last
step completes the plan. A follow-up is a due prompt of kind ``repair_followup`` whose
``ref_id`` is the plan; its answer is stored on the plan (``followup_outcome``, ``_note``,
``_answered_at``) as a corrective experience for the weekly summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from types import EllipsisType

from bot.content import i18n, t
from bot.models import RepairPlan, User
from bot.services import coach, drafts
from bot.services.care import quotable
from bot.services.parse import moments as when
from bot.services.profile import zone_for_safe
from bot.services.scripts import RepairPlanText, render_repair_script
from bot.services.vocab import options
from bot.store import prompts, repairs
from bot.store.db import Database

STEPS: tuple[str, ...] = (
    "person",
    "what_happened",
    "impact",
    "my_part",
    "feel_need",
    "next_step",
    "question",
    "when",
)
#: The column each step's answer goes to.
FIELDS = {step: ("when_text" if step == "when" else step) for step in STEPS}

FOLLOWUP_KIND = "repair_followup"
OUTCOMES = ("happened", "not_yet", "badly")
RECENT = timedelta(days=30)


def zone(user: User) -> tzinfo:
    return zone_for_safe(user.timezone)


def next_step(step: str | None) -> str | None:
    return drafts.next_step(STEPS, step)


def answered(plan: RepairPlan) -> int:
    return drafts.answered(STEPS, plan.step)


def has_answers(plan: RepairPlan) -> bool:
    return plan.step is not None or any(getattr(plan, FIELDS[s]) for s in STEPS)


def current(db: Database, user_id: int) -> RepairPlan | None:
    return repairs.latest_draft(db, user_id)


def user_and_current(db: Database, user_id: int) -> tuple[User, RepairPlan | None] | None:
    """The user and their open draft, in one statement (every step reads both)."""
    return repairs.TABLE.user_and_draft(db, user_id)


def start(
    db: Database, user: User, now: datetime, found: RepairPlan | None | EllipsisType = ...
) -> RepairPlan:
    """A draft to fill: an untouched draft is reused, otherwise a new one is created
    (``found``: the open draft as just read)."""
    return drafts.start(db, repairs.TABLE, user, now, has_answers, found)


def start_fresh(db: Database, user: User, now: datetime) -> RepairPlan:
    return drafts.start_fresh(db, repairs.TABLE, user, now)


def save(
    db: Database,
    user_id: int,
    plan_id: int,
    step: str,
    now: datetime,
    value: str | None = None,
    *,
    advance: bool = True,
) -> RepairPlan | None:
    """Store the answer of ``step`` (None: skipped). ``advance=False`` keeps the step open
    (the coach is still talking about the answer)."""
    fields: dict[str, object] = {}
    if value is not None:
        fields[FIELDS[step]] = value
    if advance:
        fields["step"] = step
    return repairs.update(db, user_id, plan_id, now, **fields)


def coach_note(plan: RepairPlan, text: str) -> str | None:
    """The coach's kind note when ``text`` has a blaming form; None when it reads fine."""
    return coach.coach_reply(text, situation=plan.what_happened)


def plan_text(plan: RepairPlan) -> RepairPlanText:
    """The plan's words for its script (words that carried crisis language are left out)."""

    def shown(value: str | None) -> str | None:
        return value if quotable(value) else None

    return RepairPlanText(
        person=shown(plan.person),
        what_happened=shown(plan.what_happened),
        impact=shown(plan.impact),
        my_part=shown(plan.my_part),
        feel_need=shown(plan.feel_need),
        step=shown(plan.next_step),
        question=shown(plan.question),
    )


def script(plan: RepairPlan) -> str:
    """The repair script in the user's own words (may be longer than one message)."""
    return render_repair_script(plan_text(plan))


def complete(
    db: Database, user: User, plan_id: int, planned: datetime | None, now: datetime
) -> RepairPlan | None:
    """Finish the plan; the proposed follow-up time is kept until the user accepts it."""
    followup_at = when.followup_time(planned, zone(user), now)
    return repairs.update(
        db,
        user.id,
        plan_id,
        now,
        status=repairs.COMPLETED,
        completed_at=now,
        followup_at=followup_at,
    )


def recent_plan(db: Database, user_id: int, now: datetime) -> RepairPlan | None:
    """The latest plan finished in the last 30 days, for /script."""
    return repairs.latest_completed(db, user_id, now - RECENT)


# --- the follow-up -----------------------------------------------------------------------------


def _pending_followup(db: Database, user_id: int, plan_id: int) -> datetime | None:
    for prompt in prompts.pending_for_user(db, user_id, FOLLOWUP_KIND):
        if prompt.ref_id == plan_id:
            return prompt.due_at
    return None


def book_followup(db: Database, user_id: int, plan_id: int, now: datetime) -> datetime | None:
    """Schedule the follow-up of a finished plan (once); returns when it is due."""
    plan = repairs.get(db, user_id, plan_id)
    if plan is None or plan.status != repairs.COMPLETED or plan.followup_at is None:
        return None
    booked = _pending_followup(db, user_id, plan_id)
    if booked is not None:
        return booked
    due = max(plan.followup_at, now)
    prompts.add(db, user_id, FOLLOWUP_KIND, due, now, ref_id=plan_id)
    return due


def decline_followup(db: Database, user_id: int, plan_id: int, now: datetime) -> bool:
    plan = repairs.get(db, user_id, plan_id)
    if plan is None or _pending_followup(db, user_id, plan_id) is not None:
        return plan is not None
    return repairs.update(db, user_id, plan_id, now, followup_at=None) is not None


def followup_plan(db: Database, user_id: int, plan_id: int | None) -> RepairPlan | None:
    """The plan a due follow-up asks about, or None when there is nothing to ask any more."""
    if plan_id is None:
        return None
    plan = repairs.get(db, user_id, plan_id)
    if plan is None or plan.status != repairs.COMPLETED:
        return None
    if plan.followup_outcome in ("happened", "badly"):
        return None
    return plan


def with_whom(person: str | None) -> str:
    """ " with your partner" / " with Anna" / "" for the follow-up question."""
    who = coach.clean_part(person)
    if not who:
        return ""
    for role in options("people"):
        if who.casefold() in (role.id, role.label.casefold()):
            return t("repair.followup_with_role", role=i18n.inline(role.label))
    return t("repair.followup_with", person=who)


def record_outcome(
    db: Database, user_id: int, plan_id: int, outcome: str, now: datetime
) -> RepairPlan | None:
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    plan = repairs.get(db, user_id, plan_id)
    if plan is None or plan.status != repairs.COMPLETED:
        return None
    return repairs.update(
        db, user_id, plan_id, now, followup_outcome=outcome, followup_answered_at=now
    )


def last_answered(db: Database, user_id: int) -> RepairPlan | None:
    """The plan whose follow-up was answered last: where "what did you learn" goes."""
    return repairs.last_followup_answered(db, user_id)


def record_note(
    db: Database, user_id: int, plan_id: int, note: str, now: datetime
) -> RepairPlan | None:
    return repairs.update(db, user_id, plan_id, now, followup_note=note)


def ask_again(db: Database, user: User, plan_id: int, now: datetime) -> datetime | None:
    """After "not yet": ask again in a couple of days, in the evening."""
    plan = repairs.get(db, user.id, plan_id)
    if plan is None or plan.status != repairs.COMPLETED:
        return None
    booked = _pending_followup(db, user.id, plan_id)
    if booked is not None:
        return booked
    due = when.followup_time(None, zone(user), now)
    repairs.update(db, user.id, plan_id, now, followup_at=due)
    prompts.add(db, user.id, FOLLOWUP_KIND, due, now, ref_id=plan_id)
    return due

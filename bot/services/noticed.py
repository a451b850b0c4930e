"""Moments noticed (/noticed): a corrective experience in under a minute, and bringing it back.

Who → what I expected (the old fear) → what they actually did → what it tells me. As with the
trigger log, a user has at most one draft (the latest moment with status ``draft``); each
answer is written as it arrives and ``step`` records the last step answered. The last step
completes the moment.

The moments are "real data from conversations": ``evidence`` finds the user's own earlier
moments with a person (the most recent ones with anyone when there are none with them), and
``evidence_text`` reads them back, dated and in the user's words, where a thought record asks
"what facts don't fit?" and a repair plan describes the impact. Words that carried crisis
language are never quoted back (``care.quotable``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.content import t
from bot.content.keys import Family
from bot.models import NoticedMoment, User
from bot.services import drafts
from bot.services.care import quotable
from bot.services.people import same_person
from bot.services.summary_text import format_day
from bot.services.textsplit import clip
from bot.services.vocab import option_label
from bot.store import noticed
from bot.store.db import Database

STEPS: tuple[str, ...] = ("person", "expected", "actual", "meaning")
TEXT_STEPS: tuple[str, ...] = ("expected", "actual", "meaning")
FIELD_CLIP = 300  # characters of each answer read back
EVIDENCE_CLIP = 200  # characters of each answer shown as evidence
EVIDENCE_MAX = 3  # moments shown as evidence
#: The read-back's line of each answer.
SUMMARY_LINES = Family("noticed.summary_{}", STEPS)
#: The evidence's line of each answer.
EVIDENCE_LINES = Family("noticed.evidence_{}", TEXT_STEPS)


def next_step(step: str | None) -> str | None:
    return drafts.next_step(STEPS, step)


def answered(moment: NoticedMoment) -> int:
    return drafts.answered(STEPS, moment.step)


def has_answers(moment: NoticedMoment) -> bool:
    return moment.step is not None or any(getattr(moment, s) for s in STEPS)


def current(db: Database, user_id: int) -> NoticedMoment | None:
    return noticed.latest_draft(db, user_id)


def user_and_current(db: Database, user_id: int) -> tuple[User, NoticedMoment | None] | None:
    """The user and their open draft, in one statement (every step reads both)."""
    return noticed.TABLE.user_and_draft(db, user_id)


def start(db: Database, user: User, now: datetime) -> NoticedMoment:
    """A draft to fill: an untouched draft is reused, otherwise a new one is created."""
    return drafts.start(db, noticed.TABLE, user, now, has_answers)


def start_fresh(db: Database, user: User, now: datetime) -> NoticedMoment:
    return drafts.start_fresh(db, noticed.TABLE, user, now)


def save(
    db: Database, user_id: int, moment_id: int, step: str, now: datetime, value: str | None
) -> NoticedMoment | None:
    """Store the answer of ``step`` (None: skipped) and mark the step as answered."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    fields: dict[str, object] = {} if value is None else {step: value}
    return noticed.update(db, user_id, moment_id, now, step=step, **fields)


def finish(db: Database, user_id: int, moment_id: int, now: datetime) -> NoticedMoment | None:
    return noticed.update(db, user_id, moment_id, now, status=noticed.COMPLETED, completed_at=now)


def person_label(value: str | None) -> str | None:
    """A stored person as shown: a default's label, else the user's own words."""
    if not value:
        return None
    return option_label("people", value) or value.strip() or None


def summary(moment: NoticedMoment) -> str:
    """A short read-back of the moment in the user's words (crisis language left out)."""
    lines = []
    for step in STEPS:
        value = person_label(moment.person) if step == "person" else getattr(moment, step)
        if value is not None and quotable(value):
            lines.append(t(f"noticed.summary_{step}", value=clip(value.strip(), FIELD_CLIP)))
    if not lines:
        return t("noticed.saved_empty")
    return t("noticed.saved_heading") + "\n\n" + "\n".join(lines) + "\n\n" + t("noticed.closing")


# --- evidence from one's own life -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    moments: tuple[NoticedMoment, ...]
    #: True: the moments are with the person asked about; False: the latest with anyone.
    same: bool


def _readable(moment: NoticedMoment) -> bool:
    return any(quotable(getattr(moment, step)) for step in TEXT_STEPS)


def evidence(
    db: Database, user_id: int, person: str | None, limit: int = EVIDENCE_MAX
) -> Evidence | None:
    """The user's own earlier moments with ``person``, newest first; if none, the most recent
    ones with anyone; None when there are none at all."""
    found = [m for m in noticed.completed_recent(db, user_id) if _readable(m)]
    if not found:
        return None
    if person:
        with_them = [m for m in found if same_person(m.person, person)]
        if with_them:
            return Evidence(tuple(with_them[:limit]), True)
    return Evidence(tuple(found[:limit]), False)


def _moment_lines(moment: NoticedMoment) -> list[str]:
    day = format_day(moment.local_date)
    who = person_label(moment.person)
    if who is not None and quotable(who):
        lines = [t("noticed.evidence_date_person", date=day, person=who)]
    else:
        lines = [t("noticed.evidence_date", date=day)]
    for step in TEXT_STEPS:
        value = getattr(moment, step)
        if quotable(value):
            lines.append(t(f"noticed.evidence_{step}", value=clip(value.strip(), EVIDENCE_CLIP)))
    return lines


def evidence_text(found: Evidence | None, person: str | None) -> str | None:
    """The moments as evidence, dated and in the user's words; None when there are none."""
    if found is None or not found.moments:
        return None
    # The person as the user named them in their own moments ("Sam", not a "sam" typed now).
    who = person_label(found.moments[0].person if found.same else person)
    if found.same and who is not None and quotable(who):
        heading = t("noticed.evidence_heading_person", person=who)
    else:
        heading = t("noticed.evidence_heading_anyone")
    blocks = ["\n".join(_moment_lines(m)) for m in found.moments]
    return heading + "\n\n" + "\n\n".join(blocks)

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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType

from bot.content import t
from bot.content.keys import Family
from bot.models import NoticedMoment, PracticeLog, User
from bot.services import drafts
from bot.services.care import quotable
from bot.services.people import same_person
from bot.services.summary_text import format_day
from bot.services.textsplit import clip
from bot.services.vocab import option_label
from bot.store import noticed
from bot.store import practice as practices
from bot.store.db import Database

STEPS: tuple[str, ...] = ("person", "expected", "actual", "meaning")
TEXT_STEPS: tuple[str, ...] = ("expected", "actual", "meaning")
FIELD_CLIP = 300  # characters of each answer read back
EVIDENCE_CLIP = 200  # characters of each answer shown as evidence
EVIDENCE_MAX = 3  # moments shown as evidence
PRACTICES_MAX = 2  # practices shown as evidence
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


def start(
    db: Database, user: User, now: datetime, found: NoticedMoment | None | EllipsisType = ...
) -> NoticedMoment:
    """A draft to fill: an untouched draft is reused, otherwise a new one is created
    (``found``: the open draft as just read)."""
    return drafts.start(db, noticed.TABLE, user, now, has_answers, found)


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


#: A practice's answers shown as evidence (what was feared, what happened, what was learned).
PRACTICE_STEPS: tuple[str, ...] = ("feared", "happened", "learned")
PRACTICE_LINES = Family("practice.summary_{}", PRACTICE_STEPS)
#: The evidence's headings: moments, then practices; with the person asked about, or anyone.
EVIDENCE_HEADINGS = (
    Family("noticed.evidence_{}_person", ("heading", "practices")),
    Family("noticed.evidence_{}_anyone", ("heading", "practices")),
)


@dataclass(frozen=True, slots=True)
class Evidence:
    moments: tuple[NoticedMoment, ...]
    #: True: the moments (and practices) are with the person asked about; False: the latest
    #: with anyone.
    same: bool
    #: Practices logged on the closeness ladder, each with its rung's words (None: none).
    practices: tuple[tuple[PracticeLog, str | None], ...] = ()


def _readable(moment: NoticedMoment) -> bool:
    return any(quotable(getattr(moment, step)) for step in TEXT_STEPS)


def _practised(log: PracticeLog) -> bool:
    return any(quotable(getattr(log, step)) for step in PRACTICE_STEPS)


def _with_rungs(
    db: Database, logs: list[PracticeLog], limit: int
) -> tuple[tuple[PracticeLog, str | None], ...]:
    found = []
    for log in logs[:limit]:
        rung = None if log.rung_id is None else practices.RUNGS.get(db, log.user_id, log.rung_id)
        found.append((log, rung.text if rung is not None else None))
    return tuple(found)


def evidence(
    db: Database, user_id: int, person: str | None, limit: int = EVIDENCE_MAX
) -> Evidence | None:
    """The user's own earlier moments and practices with ``person``, newest first; if none,
    the most recent ones with anyone; None when there are none at all."""
    found = [m for m in noticed.completed_recent(db, user_id) if _readable(m)]
    logs = [p for p in reversed(practices.logs(db, user_id, 200)) if _practised(p)]
    if not found and not logs:
        return None
    if person:
        with_them = [m for m in found if same_person(m.person, person)]
        logs_with_them = [p for p in logs if same_person(p.person, person)]
        if with_them or logs_with_them:
            return Evidence(
                tuple(with_them[:limit]), True, _with_rungs(db, logs_with_them, PRACTICES_MAX)
            )
    return Evidence(tuple(found[:limit]), False, _with_rungs(db, logs, PRACTICES_MAX))


def _moment_lines(moment: NoticedMoment) -> list[str]:
    day = format_day(moment.local_date)
    who = person_label(moment.person)
    if who is not None and quotable(who):
        lines = [t("noticed.evidence_date_person", date=day, person=who)]
    else:
        lines = [t("noticed.evidence_date", date=day)]
    return lines + _quoted(
        moment, TEXT_STEPS, lambda step, value: t(f"noticed.evidence_{step}", value=value)
    )


def _quoted(row: object, steps: tuple[str, ...], line: Callable[[str, str], str]) -> list[str]:
    """The line of each answer that may be read back (never crisis language), clipped."""
    found = ((step, getattr(row, step)) for step in steps)
    return [line(step, clip(v.strip(), EVIDENCE_CLIP)) for step, v in found if quotable(v)]


def _practice_lines(log: PracticeLog, rung: str | None) -> list[str]:
    day = format_day(log.local_date)
    if rung is not None and quotable(rung):
        lines = [t("noticed.evidence_practice_rung", date=day, rung=clip(rung.strip(), 120))]
    else:
        lines = [t("noticed.evidence_date", date=day)]
    return lines + _quoted(
        log, PRACTICE_STEPS, lambda step, value: t(f"practice.summary_{step}", value=value)
    )


def _heading(found: Evidence, person: str | None, named: str | None, kind: str) -> str:
    # The person as the user named them in their own entries ("Sam", not a "sam" typed now).
    who = person_label(named if found.same else person)
    if found.same and who is not None and quotable(who):
        return t(f"noticed.evidence_{kind}_person", person=who)
    return t(f"noticed.evidence_{kind}_anyone")


def evidence_text(found: Evidence | None, person: str | None) -> str | None:
    """The moments (then the practices) as evidence, dated and in the user's words; None when
    there are none."""
    if found is None or not (found.moments or found.practices):
        return None
    parts = []
    if found.moments:
        blocks = ["\n".join(_moment_lines(m)) for m in found.moments]
        heading = _heading(found, person, found.moments[0].person, "heading")
        parts.append(heading + "\n\n" + "\n\n".join(blocks))
    if found.practices:
        blocks = ["\n".join(_practice_lines(log, rung)) for log, rung in found.practices]
        heading = _heading(found, person, found.practices[0][0].person, "practices")
        parts.append(heading + "\n\n" + "\n\n".join(blocks))
    return "\n\n".join(parts)

"""A user's entries newest first (check-ins, trigger logs, repair plans, the safety plan), a
page at a time.

One UNION ALL over the four tables picks the page's (kind, id) pairs in SQL; the page's rows
are then loaded by id, always together with ``user_id`` so another user's ids find nothing.
Entries with no answer at all (prompts skipped, paused or left unanswered, empty drafts) are
left out: there is nothing to read in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, literal, or_, select, union_all
from sqlmodel import Session, col

from bot.models import CheckIn, Commitment, RepairPlan, SafetyPlan, TriggerEntry
from bot.store.db import Database
from bot.store.safetyplans import SECTIONS

CHECKIN, TRIGGER, REPAIR, SAFETY = "c", "t", "r", "s"
MODELS: dict[str, Any] = {
    CHECKIN: CheckIn,
    TRIGGER: TriggerEntry,
    REPAIR: RepairPlan,
    SAFETY: SafetyPlan,
}

_CHECKIN_ANSWERS = (
    CheckIn.intensity,
    CheckIn.need,
    CheckIn.interactions,
    CheckIn.interactions_note,
    CheckIn.triggered,
    CheckIn.repair,
    CheckIn.commitment_kept,
    CheckIn.lesson,
)

Entry = CheckIn | TriggerEntry | RepairPlan | SafetyPlan


@dataclass(frozen=True, slots=True)
class Page:
    entries: list[tuple[str, Entry]]  # (kind, row), newest first
    total: int
    offset: int


def _listed(user_id: int) -> Any:
    """(kind, id, at) of every entry worth reading, as one UNION ALL."""
    checkins: Any = select(
        literal(CHECKIN).label("kind"),
        col(CheckIn.id).label("id"),
        col(CheckIn.started_at).label("at"),
    ).where(
        col(CheckIn.user_id) == user_id,
        or_(
            col(CheckIn.status) == "completed",
            cast(CheckIn.emotions, String) != "[]",
            *(col(c).is_not(None) for c in _CHECKIN_ANSWERS),
        ),
    )
    triggers = select(literal(TRIGGER), col(TriggerEntry.id), col(TriggerEntry.created_at)).where(
        col(TriggerEntry.user_id) == user_id,
        or_(
            col(TriggerEntry.status) == "completed",
            col(TriggerEntry.step).is_not(None),
            col(TriggerEntry.situation).is_not(None),
        ),
    )
    repairs = select(literal(REPAIR), col(RepairPlan.id), col(RepairPlan.created_at)).where(
        col(RepairPlan.user_id) == user_id,
        or_(
            col(RepairPlan.status) == "completed",
            col(RepairPlan.step).is_not(None),
            col(RepairPlan.person).is_not(None),
        ),
    )
    plan = select(literal(SAFETY), col(SafetyPlan.id), col(SafetyPlan.created_at)).where(
        col(SafetyPlan.user_id) == user_id,
        or_(*(getattr(SafetyPlan.__table__.c, name).is_not(None) for name in SECTIONS)),  # type: ignore[attr-defined]
    )
    return union_all(checkins, triggers, repairs, plan).subquery()


def _load(s: Session, user_id: int, kind: str, ids: list[int]) -> dict[int, Entry]:
    if not ids:
        return {}
    model = MODELS[kind]
    rows = s.exec(select(model).where(model.user_id == user_id, model.id.in_(ids)))  # type: ignore[call-overload]
    return {row.id: row for row in rows.scalars()}


def page(db: Database, user_id: int, offset: int, limit: int) -> Page:
    """Up to ``limit`` entries from ``offset`` (newest first) and how many there are in all."""
    with db.session() as s:
        listed = _listed(user_id)
        total = s.connection().execute(select(func.count()).select_from(listed)).scalar_one()
        refs = list(
            s.connection().execute(
                select(listed.c.kind, listed.c.id)
                .order_by(listed.c.at.desc(), listed.c.kind, listed.c.id.desc())
                .offset(offset)
                .limit(limit)
            )
        )
        loaded = {
            kind: _load(s, user_id, kind, [i for k, i in refs if k == kind]) for kind in MODELS
        }
    entries = [(k, loaded[k][i]) for k, i in refs if i in loaded[k]]
    return Page(entries, int(total), offset)


def entry(db: Database, user_id: int, kind: str, entry_id: int) -> Entry | None:
    """One entry, only if it belongs to ``user_id``."""
    model = MODELS.get(kind)
    if model is None:
        return None
    with db.session() as s:
        found = s.get(model, entry_id)
        return found if found is not None and found.user_id == user_id else None


def commitments_of(db: Database, checkin: CheckIn) -> list[Commitment]:
    """The commitments made in a check-in (by link, or on the same day for a morning one)."""
    link = col(Commitment.checkin_id) == checkin.id
    if checkin.kind == "morning":
        same_day = (col(Commitment.checkin_id).is_(None)) & (
            col(Commitment.local_date) == checkin.local_date
        )
        link = or_(link, same_day)
    with db.session() as s:
        query = (
            select(Commitment)
            .where(col(Commitment.user_id) == checkin.user_id, link)
            .order_by(col(Commitment.id))
        )
        return list(s.exec(query).scalars())  # type: ignore[call-overload]

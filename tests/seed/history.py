"""Bulk-insert a long daily history (benchmarks, performance checks)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import insert

from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.store.db import Database
from tests.seed import at_local, stamp

_EMOTIONS = ("anxious", "hopeful", "lonely", "calm", "grateful", "frustrated", "content")
_PEOPLE = ("partner", "mother", "friend", "colleague", "Sam")
_CONTEXTS = ("texting", "home", "work", "phone_call")
_TRAPS = ("mind_reading", "catastrophizing", "all_or_nothing", "shoulds", "labeling")


def _bulk(db: Database, model: Any, rows: Iterable[dict[str, Any]]) -> int:
    batch = list(rows)
    if batch:
        with db.session() as s:
            s.execute(insert(model), batch)  # type: ignore[deprecated]
    return len(batch)


def two_years(
    db: Database,
    user_id: int,
    today: date,
    *,
    days: int = 730,
    zone: str = "Europe/Berlin",
    seed: int = 5,
) -> dict[str, int]:
    """Daily morning and evening check-ins for ``days`` days up to ``today``, a commitment most
    days, a trigger about every third day and a repair plan about weekly; a few skipped and
    unanswered days. Returns row counts per table."""
    rng = random.Random(seed)
    checkins: list[dict[str, Any]] = []
    commitments: list[dict[str, Any]] = []
    triggers: list[dict[str, Any]] = []
    repairs: list[dict[str, Any]] = []
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        roll = rng.random()
        status = "skipped" if roll < 0.03 else "closed" if roll < 0.06 else "completed"
        for kind in ("morning", "evening"):
            at = stamp(day, kind, zone)
            checkins.append(
                {
                    "user_id": user_id,
                    "kind": kind,
                    "local_date": day,
                    "status": status,
                    "started_at": at,
                    "updated_at": at,
                    "completed_at": at if status == "completed" else None,
                    "emotions": rng.sample(_EMOTIONS, 2) if status == "completed" else [],
                    "intensity": rng.randint(1, 9) if status == "completed" else None,
                    "need": "some quiet time and a walk" if kind == "morning" else None,
                    "lesson": "I asked for what I needed" if kind == "evening" else None,
                }
            )
        if status == "completed" and rng.random() < 0.8:
            commitments.append(
                {
                    "user_id": user_id,
                    "local_date": day,
                    "text": "Say one “I feel…” sentence",
                    "outcome": rng.choice(("yes", "yes", "partly", "no", None)),
                    "created_at": stamp(day, "morning", zone),
                }
            )
        if rng.random() < 0.33:
            at = at_local(day, time(15, 0), zone)
            triggers.append(
                {
                    "user_id": user_id,
                    "local_date": day,
                    "status": "completed",
                    "created_at": at,
                    "updated_at": at,
                    "situation": "They didn't reply for hours.",
                    "emotions": rng.sample(_EMOTIONS, 2),
                    "distortions": rng.sample(_TRAPS, 2),
                    "intensity_before": rng.randint(5, 10),
                    "intensity_after": rng.randint(1, 6),
                    "person": rng.choice(_PEOPLE),
                    "context": rng.choice(_CONTEXTS),
                }
            )
        if rng.random() < 0.14:
            at = at_local(day, time(18, 0), zone)
            repairs.append(
                {
                    "user_id": user_id,
                    "local_date": day,
                    "status": "completed",
                    "created_at": at,
                    "updated_at": at,
                    "person": rng.choice(_PEOPLE),
                    "followup_at": at + timedelta(days=1),
                    "followup_outcome": rng.choice(("happened", "not_yet", "badly", None)),
                }
            )
    return {
        "checkins": _bulk(db, CheckIn, checkins),
        "commitments": _bulk(db, Commitment, commitments),
        "triggers": _bulk(db, TriggerEntry, triggers),
        "repairs": _bulk(db, RepairPlan, repairs),
    }


_KEPT = ("yes", "partly", "no")
_STORY = (
    "They have stopped caring about me and are pulling away, the way it always ends, "
    "and I am too much for anyone to stay with."
)
_FOR = "They answered in one word and didn't ask about my day."
_AGAINST = (
    "They told me last week they were swamped with a deadline, and on Sunday they planned "
    "our trip in detail. Short replies at work are how they always write."
)
_BALANCED = "They are busy, not leaving. I can ask how their day is going tonight."


def heavy_user(
    db: Database,
    user_id: int,
    today: date,
    *,
    days: int = 92,
    zone: str = "Europe/Berlin",
    seed: int = 19,
    words: str = "",
) -> dict[str, int]:
    """A heavy user's last ``days`` days up to ``today``: two check-ins a day, a commitment
    every morning, a thought record a day with every answer written, a repair plan a week.
    ``words`` is added to each thought record's situation (to find it in a report)."""
    rng = random.Random(seed)
    checkins: list[dict[str, Any]] = []
    commitments: list[dict[str, Any]] = []
    triggers: list[dict[str, Any]] = []
    repairs: list[dict[str, Any]] = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        for kind in ("morning", "evening"):
            at = stamp(day, kind, zone)
            checkins.append(
                {
                    "user_id": user_id, "kind": kind, "local_date": day, "status": "completed",
                    "started_at": at, "updated_at": at, "completed_at": at,
                    "emotions": rng.sample(_EMOTIONS, 2), "intensity": rng.randint(1, 9),
                    "need": "Some quiet time and a walk after work" if kind == "morning" else None,
                    "interactions": "mixed" if kind == "evening" else None,
                    "lesson": "I asked for what I needed, calmly" if kind == "evening" else None,
                    "commitment_kept": rng.choice(_KEPT) if kind == "evening" else None,
                }
            )  # fmt: skip
        commitments.append(
            {
                "user_id": user_id, "local_date": day, "text": "Say one “I feel…” sentence",
                "outcome": rng.choice(("yes", "yes", "partly", "no")),
                "created_at": stamp(day, "morning", zone),
            }
        )  # fmt: skip
        at = at_local(day, time(15, 0), zone)
        triggers.append(
            {
                "user_id": user_id, "local_date": day, "status": "completed", "step": "rerate",
                "created_at": at, "updated_at": at, "completed_at": at,
                "situation": f"I texted at noon and they replied only at six. {words}".strip(),
                "emotions": rng.sample(_EMOTIONS, 2), "intensity_before": rng.randint(5, 10),
                "body": "Tight chest, a knot in my stomach", "story": _STORY,
                "distortions": rng.sample(_TRAPS, 2), "evidence_for": _FOR,
                "evidence_against": _AGAINST, "balanced": _BALANCED, "action_id": "pause",
                "action": "I took a walk before answering", "intensity_after": rng.randint(1, 6),
                "person": rng.choice(_PEOPLE), "context": rng.choice(_CONTEXTS),
            }
        )  # fmt: skip
        if back % 7 == 3:
            at = at_local(day, time(18, 0), zone)
            repairs.append(
                {
                    "user_id": user_id, "local_date": day, "status": "completed",
                    "step": "when", "created_at": at, "updated_at": at, "completed_at": at,
                    "person": "partner", "what_happened": "I snapped at them about the dishes",
                    "impact": "They felt blamed for my bad day", "my_part": "I was tired and short",
                    "feel_need": "I feel overwhelmed and I need us to share the evening chores",
                    "next_step": "Tell them early when my day was hard",
                    "question": "What would help you feel more secure?", "when_text": "tonight",
                    "followup_at": at + timedelta(days=1), "followup_outcome": "happened",
                    "followup_note": "We talked it over and laughed about it",
                    "followup_answered_at": at + timedelta(days=1),
                }
            )  # fmt: skip
    return {
        "checkins": _bulk(db, CheckIn, checkins),
        "commitments": _bulk(db, Commitment, commitments),
        "triggers": _bulk(db, TriggerEntry, triggers),
        "repairs": _bulk(db, RepairPlan, repairs),
    }

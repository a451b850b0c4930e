"""A user with every kind of record, seeded straight into the tables (export/delete tests).

Every FreeText column of every row is filled by introspection, so a free-text column added
later is covered by the marker tests without changes here.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlmodel import SQLModel

from bot.columns import FreeText
from bot.models import (
    CheckIn,
    Commitment,
    ConversationState,
    DuePrompt,
    NoticedMoment,
    PracticeLog,
    PracticePlan,
    PracticeRung,
    RepairPlan,
    SafetyPlan,
    TriggerEntry,
)
from bot.store.db import Database
from tests.seed import user

KINDS = ("users", "due_prompts", "checkins", "commitments", "triggers", "repair_plans")


def _fill_free_text(row: SQLModel, text: str) -> None:
    for column in type(row).__table__.columns:  # type: ignore[attr-defined]
        if isinstance(column.type, FreeText):
            setattr(row, column.name, f"{text} ({column.name})")


def seed_user(db: Database, user_id: int, now: datetime, text: str) -> dict[str, list[int]]:
    """One user with settings, check-ins, a commitment, a trigger log, a repair plan with its
    follow-up, pending prompts and an open conversation; free text is ``text`` + column name."""
    day = date(2026, 3, 2)
    ids: dict[str, list[int]] = {}
    user(db, user_id, first_name="Sam", onboarded_at=now, language_code="en", morning_time="07:30")
    with db.session() as s:
        morning = CheckIn(
            user_id=user_id,
            kind="morning",
            local_date=day,
            status="completed",
            emotions=["calm", "anxious"],
            intensity=3,
            started_at=now,
            updated_at=now,
            completed_at=now,
        )
        evening = CheckIn(
            user_id=user_id,
            kind="evening",
            local_date=day,
            status="completed",
            interactions="some",
            triggered="yes",
            repair="attempted",
            commitment_kept="partly",
            started_at=now,
            updated_at=now,
        )
        trigger = TriggerEntry(
            user_id=user_id,
            local_date=day,
            status="completed",
            emotions=["hurt"],
            intensity_before=8,
            intensity_after=4,
            distortions=["mind_reading"],
            action_id="ask",
            created_at=now,
            updated_at=now,
        )
        plan = RepairPlan(
            user_id=user_id,
            local_date=day,
            status="completed",
            followup_at=now + timedelta(days=1),
            followup_outcome="happened",
            followup_answered_at=now + timedelta(days=1),
            created_at=now,
            updated_at=now,
        )
        commitment = Commitment(
            user_id=user_id, local_date=day, suggestion_id="pause", outcome="yes", created_at=now
        )
        safety = SafetyPlan(user_id=user_id, local_date=day, created_at=now, updated_at=now)
        moment = NoticedMoment(
            user_id=user_id,
            local_date=day,
            status="completed",
            created_at=now,
            updated_at=now,
            completed_at=now,
        )
        practice = {"user_id": user_id, "local_date": day, "status": "completed"}
        stamps = {"created_at": now, "updated_at": now, "completed_at": now}
        rung = PracticeRung(**practice, **stamps, area="sharing", expected=3)
        practised = PracticeLog(**practice, **stamps, before=6, peak=7, after=3, decision="stay")
        planned = PracticePlan(**practice, **stamps, planned_at=now)
        rows: list[SQLModel] = [morning, evening, trigger, plan, commitment, safety, moment]
        rows += [rung, practised, planned]
        for row in rows:
            _fill_free_text(row, text)
            s.add(row)
        s.flush()
        prompts = [
            DuePrompt(
                user_id=user_id, kind="morning", due_at=now + timedelta(hours=1), created_at=now
            ),
            DuePrompt(
                user_id=user_id,
                kind="repair_followup",
                ref_id=plan.id,
                due_at=now + timedelta(1),
                created_at=now,
            ),
        ]
        s.add_all(prompts)
        s.add(
            ConversationState(
                name="checkin",
                key=json.dumps([user_id, user_id]),
                user_id=user_id,
                state=json.dumps("need"),
                updated_at=now,
            )
        )
        s.flush()
        ids = {
            "checkins": [morning.id or 0, evening.id or 0],
            "triggers": [trigger.id or 0],
            "repair_plans": [plan.id or 0],
            "commitments": [commitment.id or 0],
            "safety_plans": [safety.id or 0],
            "noticed_moments": [moment.id or 0],
            "practice_rungs": [rung.id or 0],
            "practice_logs": [practised.id or 0],
            "practice_plans": [planned.id or 0],
            "due_prompts": [p.id or 0 for p in prompts],
        }
    return ids

"""Due prompts: the timetable of scheduled messages (see DESIGN.md, Scheduling)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from bot.models import DuePrompt
from bot.store.db import Database

PENDING = "pending"


def add(
    db: Database,
    user_id: int,
    kind: str,
    due_at: datetime,
    now: datetime,
    *,
    ref_id: int | None = None,
    payload: str | None = None,
) -> DuePrompt:
    """Schedule one prompt (pending)."""
    with db.session() as s:
        prompt = DuePrompt(
            user_id=user_id,
            kind=kind,
            due_at=due_at,
            ref_id=ref_id,
            payload=payload,
            state=PENDING,
            created_at=now,
        )
        s.add(prompt)
        s.flush()
        return prompt


def pending_for_user(db: Database, user_id: int, kind: str | None = None) -> list[DuePrompt]:
    with db.session() as s:
        query = select(DuePrompt).where(
            col(DuePrompt.user_id) == user_id, col(DuePrompt.state) == PENDING
        )
        if kind is not None:
            query = query.where(col(DuePrompt.kind) == kind)
        return list(s.exec(query.order_by(col(DuePrompt.due_at))).all())

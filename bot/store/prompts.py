"""Due prompts: the timetable of scheduled messages.

See docs/ARCHITECTURE.md, Scheduled messages.

States: ``pending`` → ``claimed`` (a sweeper owns it) → ``sent`` | ``skipped``; ``cancelled``
when a reschedule replaced it. A claimed row whose send failed for a passing reason is
*released*: it stays ``claimed`` with ``claimed_by`` NULL and is claimed again after a backoff
that grows with ``attempts``. A claim whose owner vanished (``claimed_by`` set, older than
``STALE_CLAIM``) is claimed again too, as long as it was never marked sent.

Claiming (store/claim.py) is one UPDATE … RETURNING over a limited SELECT of due rows: on
PostgreSQL that SELECT takes ``FOR UPDATE SKIP LOCKED`` so two processes never claim the same
row; SQLite has a single writer, so the conditional UPDATE is the claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import update as sa_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlmodel import col, select

from bot.models import DuePrompt
from bot.store.db import Database

PENDING = "pending"
CLAIMED = "claimed"
SENT = "sent"
SKIPPED = "skipped"
CANCELLED = "cancelled"

T = DuePrompt.__table__  # type: ignore[attr-defined]


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
    return db.add(DuePrompt(**row(user_id, kind, due_at, now, payload, ref_id)))


def add_unless_waiting(
    db: Database,
    user_id: int,
    kind: str,
    due_at: datetime,
    now: datetime,
    *,
    ref_id: int | None = None,
    payload: str | None = None,
) -> tuple[DuePrompt, bool]:
    """Schedule one prompt unless one of the same kind and payload is still waiting (pending,
    or claimed and not yet sent); returns the waiting or new prompt and whether it is new.
    (One user's updates are handled one at a time, so the check and the insert don't race.)"""
    with db.session() as s:
        waiting = s.exec(
            select(DuePrompt)
            .where(
                col(DuePrompt.user_id) == user_id,
                col(DuePrompt.kind) == kind,
                col(DuePrompt.payload) == payload,
                col(DuePrompt.state).in_([PENDING, CLAIMED]),
            )
            .order_by(col(DuePrompt.due_at))
        ).first()
        if waiting is not None:
            return waiting, False
        prompt = DuePrompt(**row(user_id, kind, due_at, now, payload, ref_id))
        s.add(prompt)
        s.flush()
        return prompt, True


def get(db: Database, prompt_id: int) -> DuePrompt | None:
    with db.session() as s:
        return s.get(DuePrompt, prompt_id)


def pending_for_user(db: Database, user_id: int, kind: str | None = None) -> list[DuePrompt]:
    with db.session() as s:
        query = select(DuePrompt).where(
            col(DuePrompt.user_id) == user_id, col(DuePrompt.state) == PENDING
        )
        if kind is not None:
            query = query.where(col(DuePrompt.kind) == kind)
        return list(s.exec(query.order_by(col(DuePrompt.due_at))).all())


def for_user(db: Database, user_id: int) -> list[DuePrompt]:
    """Every prompt row of a user, oldest due first (tests, export)."""
    with db.session() as s:
        query = select(DuePrompt).where(col(DuePrompt.user_id) == user_id)
        return list(s.exec(query.order_by(col(DuePrompt.due_at), col(DuePrompt.id))).all())


# --- the user's timetable ---------------------------------------------------------------------


def replace_future(
    db: Database,
    user_id: int,
    kinds: Sequence[str],
    wanted: dict[str, datetime],
    now: datetime,
) -> None:
    """Make ``wanted`` (kind → due) the user's only future pending prompts of ``kinds``.

    Pending rows of those kinds due after ``now`` that are not wanted are cancelled; rows
    already due are left to the sweep (it sends or skips them). A wanted row that exists in
    any state is reused (a cancelled one is revived), so the unique (user, kind, due_at)
    constraint is never hit.
    """
    with db.session() as s:
        rows = s.exec(
            select(DuePrompt).where(
                col(DuePrompt.user_id) == user_id,
                col(DuePrompt.kind).in_(list(kinds)),
                col(DuePrompt.due_at) > now,
                col(DuePrompt.state).in_([PENDING, CANCELLED]),
            )
        ).all()
        existing = {(prompt.kind, prompt.due_at): prompt for prompt in rows}
        for prompt in rows:
            if prompt.state == PENDING and wanted.get(prompt.kind) != prompt.due_at:
                prompt.state = CANCELLED
                s.add(prompt)
        s.flush()
        for kind, due in wanted.items():
            found = existing.get((kind, due))
            if found is not None:
                if found.state == CANCELLED:
                    found.state, found.attempts = PENDING, 0
                    found.claimed_at = found.claimed_by = None
                    s.add(found)
                continue
            insert_ignore(s, [row(user_id, kind, due, now)])


def cancel_pending(
    db: Database, user_id: int, kinds: Sequence[str] | None = None, after: datetime | None = None
) -> int:
    """Cancel the user's pending prompts (of ``kinds``, due after ``after``); returns how many."""
    conditions = [T.c.user_id == user_id, T.c.state == PENDING]
    if kinds is not None:
        conditions.append(T.c.kind.in_(list(kinds)))
    if after is not None:
        conditions.append(T.c.due_at > after)
    # One statement in autocommit (a check-in prompt runs this before every send): on
    # PostgreSQL one round trip instead of a ping, BEGIN, UPDATE and COMMIT.
    cancelled = sa_update(T).where(*conditions).values(state=CANCELLED).returning(T.c.id)
    return len(db.every(cancelled))


def row(
    user_id: int,
    kind: str,
    due_at: datetime,
    now: datetime,
    payload: str | None = None,
    ref_id: int | None = None,
) -> dict[str, Any]:
    """A pending prompt row for ``insert_ignore``."""
    return {
        "user_id": user_id,
        "kind": kind,
        "due_at": due_at,
        "payload": payload,
        "ref_id": ref_id,
        "state": PENDING,
        "attempts": 0,
        "created_at": now,
    }


def insert_ignore(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert prompt rows (see ``row``) in the caller's transaction, silently skipping any
    (user, kind, due_at) that already exists."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(T).on_conflict_do_nothing(index_elements=["user_id", "kind", "due_at"])
    session.execute(statement, list(rows))


def add_many(db: Database, rows: Iterable[tuple[int, str, datetime]], now: datetime) -> None:
    """Schedule (user_id, kind, due_at) rows in one statement; existing ones are kept."""
    with db.session() as s:
        insert_ignore(s, [row(u, k, d, now) for u, k, d in rows])


# --- the sweep (claiming lives in store/claim.py) ---------------------------------------


def mark_skipped_many(session: Session, ids: Sequence[int], worker: str) -> None:
    if ids:
        session.execute(
            sa_update(T)
            .where(T.c.id.in_(list(ids)), T.c.claimed_by == worker, T.c.state == CLAIMED)
            .values(state=SKIPPED)
        )


_MARK_SENT = (
    sa_update(T)
    .where(T.c.id == bindparam("pid"), T.c.claimed_by == bindparam("worker"), T.c.state == CLAIMED)
    .values(state=SENT, sent_at=bindparam("sent_at"), message_id=bindparam("message_id"))
    .returning(T.c.id)
)


def mark_sent(
    db: Database, prompt_id: int, worker: str, now: datetime, message_id: int | None
) -> bool:
    """Record a successful send; False if the claim was lost meanwhile (should not happen).

    Called once per message right after Telegram accepted it, so a restart resends only a
    prompt caught in between (README, "Reliability").
    """
    params = {"pid": prompt_id, "worker": worker, "sent_at": now, "message_id": message_id}
    # One statement in autocommit on the thread's connection (once per message sent): run
    # again on a dropped connection it changes nothing more, only answers False.
    return db.single(_MARK_SENT, params) is not None


def mark_skipped(db: Database, prompt_id: int, worker: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            sa_update(T)
            .where(T.c.id == prompt_id, T.c.claimed_by == worker, T.c.state == CLAIMED)
            .values(state=SKIPPED)
        )


def release(db: Database, prompt_id: int, worker: str, now: datetime) -> None:
    """The send failed for a passing reason: let a later sweep retry after a backoff."""
    with db.engine.begin() as conn:
        conn.execute(
            sa_update(T)
            .where(T.c.id == prompt_id, T.c.claimed_by == worker, T.c.state == CLAIMED)
            .values(claimed_by=None, claimed_at=now)
        )


def hand_back(db: Database, ids: Sequence[int], worker: str) -> int:
    """Give claimed prompts back untouched (the process is stopping before sending them), so
    the next sweep, here or in another process, takes them at once."""
    if not ids:
        return 0
    with db.engine.begin() as conn:
        result = conn.execute(
            sa_update(T)
            .where(T.c.id.in_(list(ids)), T.c.claimed_by == worker, T.c.state == CLAIMED)
            .values(state=PENDING, claimed_by=None, claimed_at=None, attempts=T.c.attempts - 1)
        )
        return int(result.rowcount)


def prune(db: Database, before: datetime, limit: int = 10_000) -> int:
    """Delete up to ``limit`` finished prompts (sent, skipped, cancelled) due before ``before``.

    Keeps the table's size proportional to users, not to the days they have been around.
    """
    finished = T.c.state.in_([SENT, SKIPPED, CANCELLED])
    old = T.select().with_only_columns(T.c.id).where(finished, T.c.due_at < before).limit(limit)
    with db.engine.begin() as conn:
        result = conn.execute(T.delete().where(T.c.id.in_(old.scalar_subquery())))
        return int(result.rowcount)


def latest_sent(db: Database, user_id: int, kinds: Sequence[str]) -> DuePrompt | None:
    """The user's most recently sent prompt of ``kinds``."""
    with db.session() as s:
        query = (
            select(DuePrompt)
            .where(
                col(DuePrompt.user_id) == user_id,
                col(DuePrompt.kind).in_(list(kinds)),
                col(DuePrompt.state) == SENT,
            )
            .order_by(col(DuePrompt.sent_at).desc(), col(DuePrompt.id).desc())
            .limit(1)
        )
        return s.exec(query).first()

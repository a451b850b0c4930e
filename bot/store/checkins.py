"""Check-ins and commitments. Every write is scoped to the user who owns the row."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Text, bindparam, cast, or_
from sqlalchemy import update as sa_update
from sqlmodel import col, select

from bot.models import CheckIn, User
from bot.store import commitments, conversations
from bot.store.db import Database, snapshot
from bot.store.drafts import newest_draft
from bot.store.users import U

DRAFT, COMPLETED, SKIPPED, CLOSED, PAUSED = "draft", "completed", "skipped", "closed", "paused"

C = CheckIn.__table__  # type: ignore[attr-defined]


def _newest_draft(table: Any, user_id: Any) -> Any:
    """The user's open check-in: their latest draft, should there be two."""
    return newest_draft(table, user_id, by="started_at")


_OPEN_DRAFT = _newest_draft(C, bindparam("user_id"))

_CLOSE_DRAFTS = (
    sa_update(C)
    .where(C.c.user_id == bindparam("_user_id"), C.c.status == DRAFT)
    .values(status=CLOSED, updated_at=bindparam("_now"))
)
# (Its values named: an INSERT taking the execution's parameters can't go in a WITH.)
_INSERT = C.insert().values({c.name: bindparam(c.name) for c in C.c if c.name != "id"})
_INSERT = _INSERT.returning(*C.c)

_LATEST = C.alias("latest")
_USER_AND_DRAFT = (
    select(*(c.label(f"u_{c.name}") for c in U.c), *(c.label(f"c_{c.name}") for c in C.c))
    .select_from(
        U.outerjoin(
            C,
            C.c.id
            == _newest_draft(_LATEST, U.c.id)
            .with_only_columns(_LATEST.c.id)
            .correlate(U)
            .scalar_subquery(),
        )
    )
    .where(U.c.id == bindparam("user_id"))
)

ANSWER_FIELDS = frozenset(
    {
        "emotions",
        "intensity",
        "need",
        "interactions",
        "interactions_note",
        "triggered",
        "repair",
        "commitment_kept",
        "lesson",
    }
)


def has_choice(column: Any) -> Any:
    """SQL: a JSON list column holds at least one choice. Compared as its stored text (``[]``
    when empty, as ``json.dumps`` writes it), which no dialect can fail on, unlike a JSON
    function meeting a scalar."""
    return cast(column, Text).not_in(("[]", "null"))


def _any_answer(table: Any) -> Any:
    """SQL: the check-in row has at least one answer."""
    typed = (table.c[name].is_not(None) for name in sorted(ANSWER_FIELDS - {"emotions"}))
    return or_(has_choice(table.c.emotions), *typed)


#: A check-in with at least one answer, whatever became of it (finished, left open, closed by
#: the next prompt): the user showed up (CONTENT.md, "practice days").
ANSWERED = _any_answer(C)
#: A practice day's check-in: answered, or walked through to the end (every step skipped).
PRACTISED = or_(C.c.status == COMPLETED, ANSWERED)


def close_drafts(db: Database, user_id: int, now: datetime) -> int:
    """Close the user's unfinished check-ins (answers kept); returns how many."""
    # One statement in autocommit (before every check-in prompt is sent), not a session.
    return len(db.every(_CLOSE_DRAFTS.returning(C.c.id), {"_user_id": user_id, "_now": now}))


def start(
    db: Database,
    user_id: int,
    kind: str,
    local_date: date,
    now: datetime,
    prompt_id: int | None = None,
) -> CheckIn:
    """A new draft check-in; any other unfinished one of the user's is closed first.

    Two single statements (this runs on every /checkin): were the second to fail, the old
    draft is closed with its answers kept, and /checkin again starts afresh.
    """
    db.single(_CLOSE_DRAFTS, {"_user_id": user_id, "_now": now})
    return _add(db, user_id, kind, local_date, DRAFT, now, prompt_id)


def record(
    db: Database,
    user_id: int,
    kind: str,
    local_date: date,
    status: str,
    now: datetime,
    prompt_id: int | None = None,
) -> CheckIn:
    """A check-in that is only a status for a day (skipped, paused)."""
    return _add(db, user_id, kind, local_date, status, now, prompt_id, completed_at=now)


def _add(
    db: Database,
    user_id: int,
    kind: str,
    local_date: date,
    status: str,
    now: datetime,
    prompt_id: int | None,
    completed_at: datetime | None = None,
) -> CheckIn:
    row = CheckIn(
        user_id=user_id,
        kind=kind,
        local_date=local_date,
        status=status,
        prompt_id=prompt_id,
        started_at=now,
        updated_at=now,
        completed_at=completed_at,
    )
    # An INSERT is not run twice on a dropped connection (it would add a second row).
    inserted = conversations.write(db, _INSERT, row.model_dump(exclude={"id"}), retry=False)
    return snapshot(CheckIn, inserted)


def open_draft(db: Database, user_id: int) -> CheckIn | None:
    """The user's unfinished check-in, if any (the latest one), as a read-only snapshot."""
    row = db.single(_OPEN_DRAFT, {"user_id": user_id})
    return None if row is None else snapshot(CheckIn, row)


def user_and_open_draft(db: Database, user_id: int) -> tuple[User, CheckIn | None] | None:
    """The user's row and their unfinished check-in (as ``open_draft``) in one statement, as
    read-only snapshots; None if the user is unknown. (A check-in step needs both.)"""
    row = db.single(_USER_AND_DRAFT, {"user_id": user_id})
    if row is None:
        return None
    user = snapshot(User, {c.name: row[f"u_{c.name}"] for c in U.c})
    if row["c_id"] is None:
        return user, None
    return user, snapshot(CheckIn, {c.name: row[f"c_{c.name}"] for c in C.c})


def get(db: Database, user_id: int, checkin_id: int) -> CheckIn | None:
    with db.session() as s:
        found = s.get(CheckIn, checkin_id)
        return found if found is not None and found.user_id == user_id else None


def save_answer(
    db: Database,
    user_id: int,
    checkin_id: int,
    now: datetime,
    step: str | None = None,
    **answers: Any,
) -> CheckIn | None:
    """Store answers on the user's draft the moment they arrive; None if it isn't open.
    ``step``: the question it waits for next (see ``wait_for``), in the same UPDATE."""
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise ValueError(f"not an answer: {sorted(unknown)}")
    values = {name: list(v) if name == "emotions" else v for name, v in answers.items()}
    if step is not None:
        values["step"] = step
    return _change_draft(db, user_id, checkin_id, now, values)


_WAIT_FOR = (
    sa_update(C)
    .where(C.c.user_id == bindparam("_user_id"), C.c.status == DRAFT)
    .values(step=bindparam("_step"), updated_at=bindparam("_now"))
    .returning(C.c.id, C.c.step)  # (the step: the conversation's state, carried with it)
)


def wait_for(db: Database, user_id: int, step: str, now: datetime) -> None:
    """Record the question the user's open check-in now waits for (one UPDATE, no read)."""
    conversations.write(db, _WAIT_FOR, {"_user_id": user_id, "_step": step, "_now": now})


def complete(db: Database, user_id: int, checkin_id: int, now: datetime) -> CheckIn | None:
    return _change_draft(db, user_id, checkin_id, now, {"status": COMPLETED, "completed_at": now})


def _change_draft(
    db: Database, user_id: int, checkin_id: int, now: datetime, values: dict[str, Any]
) -> CheckIn | None:
    """Set ``values`` on the user's check-in if it is still a draft (one UPDATE … RETURNING);
    the check-in as it is now, or None if it isn't the user's open draft."""
    params = {**values, "updated_at": now, "_id": checkin_id, "_user_id": user_id}
    row = conversations.write(db, _draft_update(frozenset(values)), params)
    return None if row is None else snapshot(CheckIn, row)


@cache
def _draft_update(fields: frozenset[str]) -> Any:
    """The UPDATE for one set of fields, built once (building it costs more than running it)."""
    return (
        sa_update(C)
        .where(
            C.c.id == bindparam("_id"), C.c.user_id == bindparam("_user_id"), C.c.status == DRAFT
        )
        .values({name: bindparam(name) for name in (*sorted(fields), "updated_at")})
        .returning(*C.c)
    )


def for_user(db: Database, user_id: int) -> list[CheckIn]:
    with db.session() as s:
        query = select(CheckIn).where(col(CheckIn.user_id) == user_id)
        return list(s.exec(query.order_by(col(CheckIn.started_at), col(CheckIn.id))).all())


# --- commitments (bot/store/commitments.py) -------------------------------------------------

add_commitment = commitments.add_commitment
commitment_for = commitments.commitment_for
set_outcome = commitments.set_outcome
commitments_for_user = commitments.commitments_for_user

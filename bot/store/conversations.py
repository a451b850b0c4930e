"""Conversation states of python-telegram-bot ConversationHandlers, as JSON rows."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, literal, literal_column
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, delete, select

from bot.models import ConversationState
from bot.store import ahead
from bot.store.db import Database


def _key_json(key: tuple[int | str, ...]) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def load(db: Database, name: str) -> dict[tuple[int | str, ...], Any]:
    with db.session() as s:
        rows = s.exec(select(ConversationState).where(ConversationState.name == name)).all()
    return {tuple(json.loads(row.key)): json.loads(row.state) for row in rows}


def save(
    db: Database,
    name: str,
    key: tuple[int | str, ...],
    state: Any,
    user_id: int | None,
    now: datetime,
) -> None:
    """Store the state, or forget the conversation when ``state`` is None (it ended).

    One statement either way (an upsert or a delete): this runs after nearly every update.
    """
    key_json = _key_json(key)
    if state is None:
        db.single(_DELETE, {"name": name, "key": key_json})
        return
    values = {
        "name": name,
        "key": key_json,
        "user_id": user_id,
        "state": json.dumps(state),
        "updated_at": now,
    }
    db.single(_upsert(db.engine.dialect.name), values)


T = ConversationState.__table__  # type: ignore[attr-defined]
_DELETE = T.delete().where(T.c.name == bindparam("name"), T.c.key == bindparam("key"))


@cache
def _upsert(dialect: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(T)
    return statement.on_conflict_do_update(
        index_elements=[T.c.name, T.c.key],
        set_={
            "user_id": statement.excluded.user_id,
            "state": statement.excluded.state,
            "updated_at": statement.excluded.updated_at,
        },
    )


# --- a state carried by the statement that stores an answer ----------------------------------


#: The state to carry is the ``step`` column of the row written (a check-in records the step
#: it waits for, which is its conversation's state): known only once it is written.
STEP_OF_ROW = "<the step of the row written>"


@dataclass(slots=True)
class Carried:
    """A conversation's next state, to be written by the statement that stores the answer
    which leads to it (``carrying``): on PostgreSQL in the same statement, so the answer and
    the step it leads to are one commit; elsewhere right after it. ``written``: it was, as
    ``state``."""

    name: str
    key: str  # JSON, as ``save`` writes it
    user_id: int | None
    state: Any  # or STEP_OF_ROW; None: the conversation ends (its row is deleted)
    now: datetime
    written: bool = False

    @property
    def of_row(self) -> bool:
        return bool(self.state == STEP_OF_ROW)

    @property
    def ends(self) -> bool:
        return self.state is None

    @property
    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"_s_name": self.name, "_s_key": self.key}
        if self.ends:
            return params
        params |= {"_s_user": self.user_id, "_s_now": self.now}
        if not self.of_row:
            params["_s_state"] = json.dumps(self.state)
        return params


_CARRIED: ContextVar[Carried | None] = ContextVar("carried_state", default=None)


@contextlib.contextmanager
def carrying(
    name: str, key: tuple[int | str, ...], state: Any, user_id: int | None, now: datetime
) -> Iterator[Carried]:
    """While inside, the first row-returning write through ``write`` (a draft's UPDATE or
    INSERT) also stores ``state`` as the conversation's, if it changed a row (``state`` None:
    forgets the conversation, which ends)."""
    carried = Carried(name, _key_json(key), user_id, state, now)
    token = _CARRIED.set(carried)
    try:
        yield carried
    finally:
        _CARRIED.reset(token)


def write(db: Database, statement: Any, params: Mapping[str, Any], retry: bool = True) -> Any:
    """``db.single`` of a write that RETURNs its row, taking along the state being carried
    (``carrying``) if there is one and the write changed a row."""
    carried = _CARRIED.get()
    if carried is None or carried.written or (carried.of_row and not _sets_step(params)):
        return db.single(statement, params, retry=retry)
    if db.is_postgres:
        combined = _ending(statement) if carried.ends else _with_state(statement, carried.of_row)
        row = db.single(combined, {**params, **carried.params}, retry=retry)
    else:  # (SQLite has no writes in WITH: the state goes right after, before any reply)
        row = db.single(statement, params, retry=retry)
    if row is None or (carried.of_row and not row.get("step")):
        return row  # (nothing written, or no step to carry: PTB's report is written as ever)
    if carried.of_row:
        carried.state = row["step"]
    if not db.is_postgres and carried.ends:
        db.single(_DELETE, {"name": carried.name, "key": carried.key})
    elif not db.is_postgres:
        db.single(_upsert(db.engine.dialect.name), _values(carried))
    carried.written = True
    return row


def _sets_step(params: Mapping[str, Any]) -> bool:
    """Whether a write names the step its row now waits for (``step``, or ``_step`` in
    store/checkins.py ``wait_for``): only such a write carries STEP_OF_ROW (an answer stored
    on its own, the kept commitment before its ``wait_for``, leaves it to the next)."""
    return params.get("step") is not None or params.get("_step") is not None


def _values(carried: Carried) -> dict[str, Any]:
    return {
        "name": carried.name,
        "key": carried.key,
        "user_id": carried.user_id,
        "state": json.dumps(carried.state),
        "updated_at": carried.now,
    }


@cache
def _with_state(statement: Any, of_row: bool) -> Any:
    """``statement`` (an UPDATE or INSERT … RETURNING) and the state's upsert in one
    PostgreSQL statement: the state is written only if the write returned a row (its first;
    ``of_row``: the state is that row's ``step``, and none if it has none)."""
    written = statement.cte("written")
    quote: Any = literal_column("'\"'")
    state = (
        bindparam("_s_name", type_=T.c.name.type),
        bindparam("_s_key", type_=T.c.key.type),
        bindparam("_s_user", type_=T.c.user_id.type),
        quote + written.c.step + quote if of_row else bindparam("_s_state", type_=T.c.state.type),
        bindparam("_s_now", type_=T.c.updated_at.type),
    )
    chosen = sa_select(*state).select_from(written).limit(1)
    if of_row:
        chosen = chosen.where(written.c.step.is_not(None))
    insert = pg_insert(T).from_select(
        ["name", "key", "user_id", "state", "updated_at"],
        chosen,
    )
    upsert = insert.on_conflict_do_update(
        index_elements=[T.c.name, T.c.key],
        set_={
            "user_id": insert.excluded.user_id,
            "state": insert.excluded.state,
            "updated_at": insert.excluded.updated_at,
        },
    )
    return sa_select(*written.c).add_cte(upsert.cte("state_written"))


@cache
def _ending(statement: Any) -> Any:
    """``statement`` (an UPDATE or INSERT … RETURNING) and the conversation's row deleted, in
    one PostgreSQL statement: deleted only if the write returned a row."""
    written = statement.cte("written")
    gone = (
        T.delete()
        .where(
            T.c.name == bindparam("_s_name", type_=T.c.name.type),
            T.c.key == bindparam("_s_key", type_=T.c.key.type),
            sa_select(literal(1)).select_from(written).exists(),
        )
        .cte("state_gone")
    )
    return sa_select(*written.c).add_cte(gone)


def delete_for_user(db: Database, user_id: int) -> None:
    with db.session() as s:
        s.exec(delete(ConversationState).where(col(ConversationState.user_id) == user_id))


def open_for_user(db: Database, user_id: int) -> dict[str, Any]:
    """Conversation name → state for every conversation the user has open."""
    with db.session() as s:
        rows = s.exec(
            select(ConversationState).where(col(ConversationState.user_id) == user_id)
        ).all()
    return {row.name: json.loads(row.state) for row in rows}


def hanging(
    db: Database, before: datetime, skip: Collection[str] = (), limit: int = 500
) -> list[tuple[str, tuple[int | str, ...], int | None, datetime]]:
    """Conversations not moved on after ``before`` (oldest first): (name, key, user, updated)."""
    query = (
        select(
            ConversationState.name,
            ConversationState.key,
            ConversationState.user_id,
            ConversationState.updated_at,
        )
        .where(col(ConversationState.updated_at) <= before)
        .order_by(col(ConversationState.updated_at))
        .limit(limit)
    )
    if skip:
        query = query.where(col(ConversationState.name).not_in(list(skip)))
    with db.session() as s:
        rows = s.exec(query).all()
    return [(name, tuple(json.loads(key)), user, updated) for name, key, user, updated in rows]


def forget_if_idle(db: Database, name: str, key: tuple[int | str, ...], before: datetime) -> bool:
    """Forget the conversation if it still hasn't moved after ``before``; True if forgotten."""
    with db.session() as s:
        result = s.exec(
            delete(ConversationState).where(
                col(ConversationState.name) == name,
                col(ConversationState.key) == _key_json(key),
                col(ConversationState.updated_at) <= before,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


_STEP_COLUMNS = (
    T.c.name.label("_s_name"),
    T.c.key.label("_s_key"),
    T.c.state.label("_s_state"),
    T.c.updated_at.label("_s_updated"),
)
_FOR_USER = sa_select(*_STEP_COLUMNS).where(T.c.user_id == bindparam("_s_user"))

#: Conversation name → {key: state}.
States = dict[str, dict[tuple[int | str, ...], Any]]
#: (conversation name, key) → (state, when it was written).
Written = dict[tuple[str, tuple[int | str, ...]], tuple[Any, datetime]]


def states_for_user(db: Database, user_id: int) -> tuple[States, Written]:
    """Every conversation the user has open: name → {key: state}, and when each was written
    (one indexed read on the thread's connection: this runs at the start of every turn with
    replicas)."""
    return _states(db.every(_FOR_USER, {"_s_user": user_id}))


def _states(rows: list[Any]) -> tuple[States, Written]:
    found: States = {}
    written: Written = {}
    for row in rows:
        if row["_s_name"] is None:
            continue  # (the row of a folded read when the user has no conversation open)
        key = tuple(json.loads(row["_s_key"]))
        state = json.loads(row["_s_state"])
        found.setdefault(row["_s_name"], {})[key] = state
        written[(row["_s_name"], key)] = (state, row["_s_updated"])
    return found, written


_ONE = sa_select(literal(1).label("_one")).subquery("one")
#: The user's steps (at least one row: NULLs when they have none), to fold a read into.
_STEPS_BASE = sa_select(*_STEP_COLUMNS).select_from(
    _ONE.outerjoin(T, T.c.user_id == bindparam("_s_user"))
)


def states_and_read_ahead(db: Database, user_id: int, turn: ahead.Ahead) -> tuple[States, Written]:
    """As ``states_for_user``, and in the same statement the read the turn is expected to
    start with (``turn.statement``, bot/store/ahead.py), kept for it; without one, as
    ``states_for_user``."""
    folded = ahead.fold(_STEPS_BASE, turn.statement) if turn.statement is not None else None
    if folded is None:
        states = states_for_user(db, user_id)
        turn.begin()
        return states
    statement, names = folded
    try:
        rows = db.every(statement, {**turn.params, "_s_user": user_id})
    except Exception:  # (whatever the read folded in did, the steps are read on their own)
        return states_for_user(db, user_id)
    found = _states(rows)
    if rows:  # (always: the steps' part gives one row at least)
        turn.begin(ahead.split(rows[0], names), kept=True)
    else:
        turn.begin()
    return found

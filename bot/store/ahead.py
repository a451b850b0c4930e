"""A turn's first read, taken ahead with the user's steps (replicas on PostgreSQL).

With replicas, each update starts with one read of the user's conversation steps
(bot/replicas/steps.py), and its handler then reads what the step works on (the user and
their draft, their open check-in) in a second statement: two round trips before any work.
The read a turn starts with is nearly always the one turns in the same conversation started
with, so the steps' read takes it along in the same statement (``fold``) and keeps its row
(``Ahead``); ``Database.single`` answers the turn's first statement from that row
(``taken``) when it is that read, instead of asking again.

So the row given is the database's answer at the start of the turn, to the question the turn
asks first; had any statement of the turn run before it (a write, on this thread or one the
turn handed work to), the row is dropped and the question asked as ever. What the first read
is, is learnt from the turns before (``turn``'s end), of any user: the statement and its
parameters, the user's id standing for whichever user's turn it is, per step of the user's
open conversations and per conversation. A read not learnt yet is simply run as ever.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, literal, true
from sqlalchemy import select as sa_select

#: Keys (steps, conversations) whose first read is remembered, at most.
LEARNT_MAX = 512
FOUND = "_ahead_found"  # a column of the folded read: NULL when the read had no row
_USER = "<the user whose turn it is>"  # stands for the user's id in a learnt read's parameters

Params = tuple[tuple[str, object], ...]
_learnt: dict[Hashable, tuple[Select[Any], Params]] = {}


@dataclass(slots=True)
class Ahead:
    """One user's turn: the read it is expected to start with, and its row once read."""

    user_id: int
    keys: tuple[Hashable, ...]  # what its first read is learnt under, the closest first
    statement: Select[Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    row: Mapping[str, Any] | None = None
    kept: bool = False  # ``row`` is the answer to ``statement``, for the first statement
    ran: bool = False  # a statement of the turn ran (after the steps' read)
    first: tuple[Select[Any], dict[str, Any]] | None = None  # the turn's first read

    def begin(self, row: Mapping[str, Any] | None = None, kept: bool = False) -> None:
        """The steps are read (with ``row``, the answer to ``statement`` if ``kept``; None:
        no row): statements from here on are the turn's own."""
        self.row, self.kept, self.ran = row, kept, False


_TURN: ContextVar[Ahead | None] = ContextVar("ahead", default=None)


@contextmanager
def turn(user_id: int, keys: tuple[Hashable, ...]) -> Iterator[Ahead]:
    """A user's turn. ``keys``: what its first read is learnt under (the states of the user's
    open conversations, then just which they are), each tried in order for the read."""
    this = Ahead(user_id, keys)
    for key in keys:
        learnt = _learnt.get(key)
        if learnt is not None:
            this.statement = learnt[0]
            this.params = {k: user_id if v == _USER else v for k, v in learnt[1]}
            break
    token = _TURN.set(this)
    try:
        yield this
    finally:
        _TURN.reset(token)
        if this.first is not None:
            _learn(this)


def running() -> None:
    """A statement is about to run (any, on any thread): the turn's row kept is not for it."""
    this = _TURN.get()
    if this is not None:
        this.kept = False
        this.ran = True


def taken(statement: Any, params: Mapping[str, Any] | None) -> tuple[bool, Any]:
    """(True, the row) if this is the turn's first statement and the read kept for it;
    (False, None) otherwise (it is to be run)."""
    this = _TURN.get()
    if this is None or this.ran:
        return False, None
    given = dict(params or {})
    if isinstance(statement, Select):
        this.first = (statement, given)
    if this.kept and statement is this.statement and given == this.params:
        this.kept, this.ran = False, True
        return True, this.row
    return False, None


def _learn(this: Ahead) -> None:
    assert this.first is not None
    statement, params = this.first
    if statement._limit_clause is not None or statement._offset_clause is not None:
        return  # (folded, it would have to keep its own limit: not worth the care)
    shape = tuple(sorted((k, _USER if v == this.user_id else v) for k, v in params.items()))
    try:
        hash(shape)
    except TypeError:
        return  # (parameters that can't be compared cheaply: not learnt)
    for key in this.keys:
        if key in _learnt or len(_learnt) < LEARNT_MAX:
            _learnt[key] = (statement, shape)


def forget_learnt() -> None:
    """Every read learnt is forgotten (tests)."""
    _learnt.clear()


# --- the read folded into another ------------------------------------------------------------


@lru_cache(maxsize=64)  # (bounded: a statement built afresh per call is never the same one)
def fold(base: Select[Any], statement: Select[Any]) -> tuple[Select[Any], tuple[str, ...]] | None:
    """``base`` (whose rows are read) with ``statement``'s first row beside each of them, in
    one statement, and the names of ``statement``'s columns (``FOUND`` NULL: it had none).
    ``base`` must give at least one row (a LEFT JOIN on a one-row SELECT). None if their
    columns' names meet (the rows could not be told apart)."""
    names = tuple(statement.selected_columns.keys())
    if len(set(names)) != len(names) or set(names) & {*base.selected_columns.keys(), FOUND}:
        return None
    inner = statement.add_columns(literal(1).label(FOUND)).limit(1).subquery("ahead")
    outer = base.subquery("base")
    folded = sa_select(*outer.c, *inner.c).select_from(outer.outerjoin(inner, true()))
    return folded, names


def split(row: Mapping[str, Any], names: tuple[str, ...]) -> Mapping[str, Any] | None:
    """``statement``'s row out of a row of ``fold``'s statement (None: it had none)."""
    if row[FOUND] is None:
        return None
    return {name: row[name] for name in names}

"""Every row about one user, table by table (export and erase).

The tables are ``users`` and the shared machinery's (``FIRST``, ``LAST``) around those the
features declare (``Records.tables``, in feature order); columns are read from the table
definitions, so a column added later is exported and erased without changes here. A per-user
table no feature declares (``USER_TABLES`` in bot/models.py) is still exported and erased, before
``LAST``: the start-up check refuses such a feature list, and /delete never leaves rows behind.
Rows are streamed in batches (``yield_per``), never loaded all at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Column, Table, delete, func, select
from sqlmodel import SQLModel

from bot.models import USER_TABLES, ConversationState, DuePrompt, User
from bot.store.db import Database
from bot.store.waits import LOOP_WAIT_MS, MODE, THREAD_WAIT_MS

#: How long /delete's TRUNCATE checkpoint waits for readers while it holds the write lock.
CHECKPOINT_WAIT_MS = LOOP_WAIT_MS // 5

log = logging.getLogger(__name__)

BATCH = 500
#: Checkpoint attempts after an erase (an open read keeps the log from being truncated; reads
#: end within moments). Each attempt waits for readers only ``CHECKPOINT_WAIT_MS``.
CHECKPOINT_TRIES = 4


def _pause(attempt: int) -> None:
    time.sleep(0.05 * 2**attempt)  # 50, 100, 200 ms between attempts (in a worker thread)


#: Tables of the shared machinery, not of one feature: prompts sent (``bot/outbound/``) and
#: conversation states (``bot/persistence.py``).
FIRST: tuple[type[SQLModel], ...] = (User, DuePrompt)
LAST: tuple[type[SQLModel], ...] = (ConversationState,)

#: What the features declare (``Records.tables``): their tables, in feature order.
Claimed = Sequence[type[SQLModel]]


def tables(claimed: Claimed = ()) -> list[Table]:
    """``users`` first, then the prompts, the claimed tables, any other per-user table, and
    the conversation states."""
    listed = [*FIRST, *claimed]
    rest = [m for m in USER_TABLES if m not in listed and m not in LAST]
    return [_table(model) for model in (*listed, *rest, *LAST)]


def unclaimed(claimed: Iterable[str]) -> list[str]:
    """Per-user tables (by name) neither shared nor among ``claimed``."""
    known = {*claimed, *(_table(m).name for m in (*FIRST, *LAST))}
    return [t.name for t in tables() if t.name not in known]


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def owner_column(table: Table) -> Column[Any]:
    """The column holding the user id: ``user_id``, or ``id`` in ``users`` itself."""
    return table.c.user_id if "user_id" in table.c else table.c.id


def column_names(table: Table) -> list[str]:
    return [column.name for column in table.columns]


def iter_rows(
    db: Database, table: Table, user_id: int, batch: int = BATCH
) -> Iterator[dict[str, Any]]:
    """The user's rows of one table in primary-key order, as column name → Python value.

    Values come back through the column types: free text decrypted, times aware UTC.
    """
    query = (
        select(table)
        .where(owner_column(table) == user_id)
        .order_by(*table.primary_key.columns)
        .execution_options(yield_per=batch)
    )
    with db.engine.connect() as conn:
        for row in conn.execute(query):
            yield dict(row._mapping)


def counts(db: Database, user_id: int, claimed: Claimed = ()) -> dict[str, int]:
    """How many rows each table holds about the user."""
    found: dict[str, int] = {}
    with db.engine.connect() as conn:
        for table in tables(claimed):
            query = select(func.count()).select_from(table).where(owner_column(table) == user_id)
            found[table.name] = int(conn.execute(query).scalar_one())
    return found


def erase(
    db: Database,
    user_id: int,
    pause: Callable[[int], None] = _pause,
    claimed: Claimed = (),
) -> dict[str, int]:
    """Delete every row about the user in every table, in one transaction; rows per table.

    On SQLite the write-ahead log is then checkpointed and truncated, so (with
    ``secure_delete``) the erased text is no longer in the database files. A checkpoint that
    an open read kept from completing is tried again (``CHECKPOINT_TRIES``, with ``pause``
    between attempts); the next erase or SQLite's own checkpoints finish it otherwise.
    """
    erased: dict[str, int] = {}
    with db.engine.begin() as conn:
        for table in reversed(tables(claimed)):  # children before users
            result = conn.execute(delete(table).where(owner_column(table) == user_id))
            erased[table.name] = result.rowcount
    if db.is_sqlite:
        for attempt in range(CHECKPOINT_TRIES):
            if checkpoint(db):
                break
            if attempt + 1 == CHECKPOINT_TRIES:
                log.warning("wal_checkpoint_incomplete user_id=%s tries=%s", user_id, attempt + 1)
            else:
                pause(attempt)
    return erased


def checkpoint(db: Database) -> bool:
    """Copy the SQLite write-ahead log into the database file and truncate it.

    Returns False when another connection's open read kept it from completing. A TRUNCATE
    checkpoint holds the write lock while it waits for readers, so it waits briefly
    (``CHECKPOINT_WAIT_MS``, well under the event loop's ``LOOP_WAIT_MS``): other users'
    writes wait it out instead of failing with "database is locked". A PASSIVE one first
    copies what it can without blocking anyone.
    """
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        conn.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={THREAD_WAIT_MS}")
            conn.info.pop(MODE, None)  # set again at the next checkout
    return busy is None or busy[0] == 0

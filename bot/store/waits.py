"""How long a statement may wait, and a database that can't be reached (issue 21).

A database that is slow or gone must not stop everyone (issue 21). Store calls run on the event
loop (moving them all to threads cost more CPU than it saved: BENCHMARKS.md), so a statement
run *on the event loop* waits for a lock only briefly (``LOOP_WAIT_MS``: SQLite's busy timeout,
PostgreSQL's ``lock_timeout``, with a ``statement_timeout``), then fails, and the user hears
"I can't reach my notebook right now, try again in a moment" (bot/handlers/general.py). In a worker
thread (the sweep, /export, /delete) statements wait as long as they need: nobody else waits
for them. Each connection is switched to the mode of the thread that checks it out (on
PostgreSQL with one ``SET``, only when the mode changes).

A PostgreSQL host that is gone costs one connect timeout (``db.PG_CONNECT_TIMEOUT``), not one per
statement: after a failed connect, connecting from the event loop fails at once
(``DatabaseUnavailable``) while a background thread tries again every second; its first
success ends that. An open connection to a vanished host gives up after
``db.PG_TCP_USER_TIMEOUT_MS`` of unanswered packets instead of the kernel's minutes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

#: How long a statement on the event loop waits for a lock another connection holds.
LOOP_WAIT_MS = 250
#: The longest a statement may run on the event loop (PostgreSQL's statement_timeout).
LOOP_STATEMENT_MS = 3000
#: SQLite's busy timeout in a worker thread (PostgreSQL: no limit there, as before).
THREAD_WAIT_MS = 5000
#: Seconds between the background tries to reach a PostgreSQL that could not be reached.
PROBE_INTERVAL = 1.0

MODE = "steady_wait_mode"  # connection record info: "loop" or "thread"
_PG_MODES = {
    "loop": f"SET lock_timeout = {LOOP_WAIT_MS}; SET statement_timeout = {LOOP_STATEMENT_MS}",
    "thread": "SET lock_timeout = DEFAULT; SET statement_timeout = DEFAULT",
}


class DatabaseUnavailable(Exception):
    """The database could not be reached a moment ago; not tried again on the event loop."""


def on_event_loop() -> bool:
    """True when called (directly or not) from a coroutine on a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def set_mode(dbapi_conn: Any, info: dict[Any, Any]) -> None:
    """Short lock waits for the event loop, long ones in a worker thread; ``info`` (the
    connection record's) remembers the mode, so nothing runs unless it changes."""
    mode = "loop" if on_event_loop() else "thread"
    if info.get(MODE) == mode:
        return
    cur = dbapi_conn.cursor()
    if isinstance(dbapi_conn, sqlite3.Connection):
        cur.execute(f"PRAGMA busy_timeout={LOOP_WAIT_MS if mode == 'loop' else THREAD_WAIT_MS}")
        cur.close()
    else:
        cur.execute(_PG_MODES[mode])
        cur.close()
        dbapi_conn.commit()  # a SET inside a transaction would be undone by its rollback
    info[MODE] = mode


def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    set_mode(dbapi_conn, record.info)


class Reachability:
    """Whether PostgreSQL could be reached at the last try; probes in the background."""

    def __init__(self) -> None:
        self._unreachable = threading.Event()  # set: a connect failed, a probe is running
        self._lock = threading.Lock()
        self._stopped = False

    @property
    def reachable(self) -> bool:
        return not self._unreachable.is_set()

    def connect(self, dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        """Every new connection: not from the event loop while the database is known to be
        unreachable; a failure starts the background tries."""
        if self._unreachable.is_set() and on_event_loop():
            raise DatabaseUnavailable("database unreachable; trying again in the background")
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception:
            self._start_probing(dialect, cargs, cparams)
            raise

    def _start_probing(self, dialect: Any, cargs: Any, cparams: Any) -> None:
        with self._lock:
            if self._unreachable.is_set() or self._stopped:
                return
            self._unreachable.set()
        log.warning("database_unreachable")

        def probe() -> None:
            while not self._stopped:
                time.sleep(PROBE_INTERVAL)
                try:
                    dialect.connect(*cargs, **cparams).close()
                except Exception:
                    continue
                self._unreachable.clear()
                log.info("database_reachable")
                return

        threading.Thread(target=probe, name="db-probe", daemon=True).start()

    def stop(self) -> None:
        self._stopped = True


def watch(engine: Engine, reach: Reachability) -> None:
    """Give ``engine``'s connections their wait mode; on PostgreSQL, connect through ``reach``."""
    event.listen(engine, "checkout", _on_checkout)
    if engine.dialect.name != "sqlite":
        event.listen(engine, "do_connect", reach.connect)

"""Engine and sessions. SQLite gets WAL, foreign keys and secure_delete on every connection.

How long statements may wait, and a database that can't be reached: bot/store/waits.py.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, SQLModel, create_engine

from bot.store import ahead, waits

#: Connections a pool may open beyond its 5 idle ones. single() keeps one per thread that runs
#: statements: the event loop's, and at most the default executor's 32 worker threads.
MAX_OVERFLOW = 40
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
PG_CONNECT_TIMEOUT = 3  # seconds
PG_TCP_USER_TIMEOUT_MS = 5000


Row = TypeVar("Row")
M = TypeVar("M", bound=SQLModel)


def snapshot(model: type[M], row: Mapping[Any, Any]) -> M:
    """A read-only copy of a row as ``model``, built without an ORM session (20x cheaper than
    loading it through one). Attributes can be read, not set: change rows in the store."""
    return model.model_construct(**row)


def inserted_or_there(
    model: type[M], row: Mapping[Any, Any] | None, there: Callable[[], M | None]
) -> M:
    """What an ``INSERT … ON CONFLICT DO NOTHING RETURNING`` gave, as ``model``; no row (one was
    there: made meanwhile, or by this very statement before a dropped line): ``there()``."""
    if row is not None:
        return snapshot(model, row)
    found = there()
    assert found is not None, f"a {model.__name__} row that was there a moment ago is gone"
    return found


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute(f"PRAGMA busy_timeout={waits.THREAD_WAIT_MS}")
    cur.close()


def with_driver(url: str) -> str:
    """``postgres://`` and ``postgresql://`` (as hosting platforms hand them out) use psycopg 3,
    the driver Steady ships; SQLAlchemy would otherwise look for psycopg2."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for any SQLAlchemy URL; creates the SQLite file's directory if needed."""
    url = with_driver(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.setdefault("max_overflow", MAX_OVERFLOW)  # (a file: a QueuePool)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        # A database host that vanished (no "connection refused") must not hang handlers and
        # /healthz for the operating system's TCP timeout of minutes.
        kwargs.setdefault(
            "connect_args",
            {"connect_timeout": PG_CONNECT_TIMEOUT, "tcp_user_timeout": PG_TCP_USER_TIMEOUT_MS},
        )
    return create_engine(url, **kwargs)


class Database:
    """The one handle on the database; store modules open short sessions through it."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        # Single statements (see single()) get their own pool, without pre-ping.
        single = self.engine
        if engine is None and self.engine.dialect.name != "sqlite":
            single = make_engine(url, pool_pre_ping=False, max_overflow=MAX_OVERFLOW)
        self._single_engine = single
        self._single = single.execution_options(isolation_level="AUTOCOMMIT")
        # single() keeps one connection per thread (see there), by thread: a thread that has
        # ended hands its connection back when the next new thread takes one.
        self._pinned: dict[threading.Thread, Connection] = {}
        self._pinned_lock = threading.Lock()
        self._reach = waits.Reachability()
        for engine_ in self.engines:
            waits.watch(engine_, self._reach)
            event.listen(engine_, "before_cursor_execute", _statement_runs)

    @property
    def reachable(self) -> bool:
        """False from a failed connect until a background try succeeds again."""
        return self._reach.reachable

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def single(
        self, statement: Executable, params: Mapping[str, Any] | None = None, retry: bool = True
    ) -> Any:
        """Run ONE idempotent statement on its own; its first row (a mapping), or None.

        For hot paths (read the user, read or change the open check-in, store a conversation
        state). It runs in autocommit, a single statement being its own transaction: on
        PostgreSQL one round trip instead of three (BEGIN, statement, COMMIT), and no ORM
        session is built. Each thread keeps its connection for the next statement instead of
        checking one out of the pool and resetting it each time (half the cost of a statement
        on SQLite; on PostgreSQL its prepared statements stay prepared). Nor is it pinged
        first: if PostgreSQL dropped it (a restart, a failover), the statement is run again
        once on a new one, which is safe because these statements give the same result twice.
        Use ``session()`` for anything that needs two statements to agree; ``retry=False``
        for a statement that must not run twice (an INSERT): on a dropped connection it fails
        like any other error, and the next statement gets a new connection.
        """
        hit, row = ahead.taken(statement, params)  # (read at the start of the turn)
        if hit:
            return row
        return self._run(statement, params, retry, every=False)

    def every(self, statement: Executable, params: Mapping[str, Any] | None = None) -> list[Any]:
        """As ``single`` (ONE idempotent read, in autocommit, on the thread's connection, run
        again once on a dropped one), every row it gives (mappings)."""
        rows: list[Any] = self._run(statement, params, True, every=True)
        return rows

    def _run(
        self, statement: Executable, params: Mapping[str, Any] | None, retry: bool, every: bool
    ) -> Any:
        for attempt in (1, 2) if retry else (2,):
            conn = self._pinned_connection()
            try:
                result = conn.execute(statement, dict(params or {}))
                if not result.returns_rows:
                    return [] if every else None
                return result.mappings().all() if every else result.mappings().first()
            except BaseException as exc:
                self._unpin(conn)  # whatever went wrong, the next statement starts afresh
                invalidated = isinstance(exc, DBAPIError) and exc.connection_invalidated
                if attempt == 2 or not invalidated:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _pinned_connection(self) -> Connection:
        me = threading.current_thread()
        conn = self._pinned.get(me)
        if conn is not None and not conn.closed:
            # (the thread may have run statements before its event loop started)
            waits.set_mode(conn.connection.dbapi_connection, conn.info)
            return conn
        conn = self._single.connect()
        with self._pinned_lock:
            ended = [thread for thread in self._pinned if not thread.is_alive()]
            stale = [self._pinned.pop(thread) for thread in ended]
            self._pinned[me] = conn
        for old in stale:
            self._close_quietly(old)
        return conn

    def _unpin(self, conn: Connection) -> None:
        with self._pinned_lock:
            me = threading.current_thread()
            if self._pinned.get(me) is conn:
                del self._pinned[me]
        self._close_quietly(conn)

    @staticmethod
    def _close_quietly(conn: Connection) -> None:
        with contextlib.suppress(Exception):  # (it may be broken: that may be why it goes)
            conn.close()

    def add(self, row: Row) -> Row:
        """Insert one new row; returns it with its id and defaults filled in."""
        with self.session() as s:
            s.add(row)
            s.flush()
            return row

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every engine in use: the main one, and the one for ``single()`` if it differs."""
        single = self._single_engine
        return (self.engine,) if single is self.engine else (self.engine, single)

    def dispose(self) -> None:
        self._reach.stop()
        with self._pinned_lock:
            pinned = list(self._pinned.values())
            self._pinned.clear()
        for conn in pinned:
            conn.close()
        self.engine.dispose()
        self._single_engine.dispose()


def _statement_runs(*_: Any) -> None:
    """(Any statement, on any path: a row read ahead answers only a turn's first.)"""
    ahead.running()


def upgrade_to_head(url: str) -> None:
    """Apply pending Alembic migrations (idempotent: safe to run twice)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")

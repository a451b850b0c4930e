"""Databases for benchmarks: fresh SQLite files and ``steady_bench_*`` PostgreSQL databases."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (tables on the metadata)
from bot.store.db import Database, make_engine, upgrade_to_head

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/steady_bench"
PG_BASE = os.environ.get("STEADY_BENCH_PG_URL", DEFAULT_PG)
_NAME = re.compile(r"steady_bench[a-z0-9_]*")


def pg_url(name: str, base: str = PG_BASE) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"benchmark databases are named steady_bench_*, got {name!r}")
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _admin(url: str):  # type: ignore[no-untyped-def]
    admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    return make_engine(admin, isolation_level="AUTOCOMMIT")


def pg_available(base: str = PG_BASE) -> bool:
    try:
        engine = _admin(base)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        engine.dispose()
        return True
    except Exception:
        return False


def fresh_pg(name: str, base: str = PG_BASE) -> str:
    """Drop and re-create a ``steady_bench_*`` database, migrate it, return its URL."""
    url = pg_url(name, base)
    engine = _admin(url)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    upgrade_to_head(url)
    return url


def drop_pg(url: str) -> None:
    name = make_url(url).database or ""
    if not _NAME.fullmatch(name):
        raise ValueError(f"refusing to drop {name!r}: not a steady_bench_* database")
    engine = _admin(url)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def fresh_sqlite(directory: Path | None = None) -> str:
    """A migrated SQLite file in a new temporary directory; returns its URL."""
    folder = Path(directory or tempfile.mkdtemp(prefix="steady-bench-"))
    url = f"sqlite:///{folder / 'steady.db'}"
    upgrade_to_head(url)
    return url


def discard(url: str) -> None:
    """Remove a database a benchmark made itself: a steady_bench_* one, or a temporary file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        drop_pg(url)
        return
    path = Path(parsed.database or "")
    if path.parent.name.startswith("steady-bench-"):
        shutil.rmtree(path.parent, ignore_errors=True)


def truncate_all(db: Database) -> None:
    """Empty every table (between runs on one database)."""
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if db.is_postgres:
            names = ", ".join(f'"{name}"' for name in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for name in reversed(tables):
                conn.exec_driver_sql(f'DELETE FROM "{name}"')


def size_pretty(url: str) -> str:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            if db.is_postgres:
                return str(
                    conn.exec_driver_sql(
                        "SELECT pg_size_pretty(pg_database_size(current_database()))"
                    ).scalar()
                )
        path = make_url(url).database or ""
        return f"{Path(path).stat().st_size / 2**20:.1f} MB"
    finally:
        db.dispose()

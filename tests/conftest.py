"""Shared fixtures: databases (SQLite file, PostgreSQL), a fixed clock, the bot harness.

PostgreSQL: ``STEADY_TEST_PG_URL`` (default: the local server's ``steady_test`` database,
created if missing). Where no server answers, PostgreSQL tests skip — except in CI
(``CI=true``), where they fail. ``STEADY_TEST_BACKEND=postgres`` runs the tests that use
the ``db`` fixture against PostgreSQL instead of SQLite, and only those (the rest ran in the
SQLite pass and would run the same again).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (tables on the metadata)
from bot.store.db import Database, make_engine, upgrade_to_head

PG_URL = os.environ.get(
    "STEADY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/steady_test"
)
BACKEND = os.environ.get("STEADY_TEST_BACKEND", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"


class FakeClock:
    """A clock the test moves by hand: services and the bot read time only through it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


@pytest.fixture(scope="session", autouse=True)
def _crisis_model_loaded() -> None:
    # Loaded once before any test: the first message of a test must not pay the model's load
    # (~1.4 s, far more on a loaded machine) inside a wait with a timeout. Production loads it
    # at start-up the same way (bot.app's post_init).
    from bot.services import crisis

    crisis.warm_up()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- SQLite -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database file; each test gets a copy (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "steady.db"
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "steady.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


# --- PostgreSQL ---------------------------------------------------------------------------


def _ensure_pg_database(url: str) -> str | None:
    """Create the test database if missing; return a reason string when no server answers."""
    parsed = make_url(url)
    admin = parsed.set(database="postgres")
    try:
        engine = make_engine(
            admin.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            ).first()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
        engine.dispose()
    except Exception as exc:  # no server, no permission
        return f"PostgreSQL not reachable at {parsed.host}:{parsed.port}: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def pg_url() -> str:
    reason = _ensure_pg_database(PG_URL)
    if reason:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true requires PostgreSQL)")
        pytest.skip(reason)
    upgrade_to_head(PG_URL)
    return PG_URL


def truncate_all(db: Database) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    truncate_all(db)
    yield db
    db.dispose()


# --- choosing a backend -------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> Database:
    """Runs the test on both databases (store tests)."""
    name = "pg_db" if request.param == "postgres" else "sqlite_db"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Database:
    """The suite's database: SQLite, or PostgreSQL with STEADY_TEST_BACKEND=postgres."""
    name = "pg_db" if BACKEND == "postgres" else "sqlite_db"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs only what its database changes: the tests on the ``db``
    fixture. The rest (no database, or both by name with ``any_db``) ran in the SQLite pass."""
    if BACKEND != "postgres":
        # Tests of what only PostgreSQL does (several replicas on one database) wait for it.
        kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if item not in kept])
            items[:] = kept
        return
    kept = [item for item in items if "db" in getattr(item, "fixturenames", ())]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept

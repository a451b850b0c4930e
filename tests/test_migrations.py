"""Migrations: head applies to an empty database twice, and matches the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from bot.store.db import Database, make_engine, upgrade_to_head


def _diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, SQLModel.metadata))


def test_upgrade_empty_sqlite_twice_and_no_drift(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'steady.db'}"
    upgrade_to_head(url)
    upgrade_to_head(url)  # idempotent
    db = Database(url, make_engine(url))
    tables = set(inspect(db.engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert _diff(db) == []
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_postgres_head_matches_models(pg_db: Database) -> None:
    upgrade_to_head(pg_db.url)  # already at head: a no-op
    assert _diff(pg_db) == []

"""Every row about a user, found generically; erased in one go (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from bot.models import USER_TABLES
from bot.store import export as store
from bot.store.db import Database
from tests.seed.every_table import seed_user

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ALL_TABLES = {"users", *(m.__tablename__ for m in USER_TABLES)}  # type: ignore[attr-defined]


def snapshot(db: Database, user_id: int) -> dict[str, list[dict[str, object]]]:
    return {t.name: list(store.iter_rows(db, t, user_id)) for t in store.tables()}


def test_every_table_with_user_rows_is_exported_and_erased() -> None:
    """A new table with a user_id column must be added to USER_TABLES (or export misses it)."""
    with_user_id = {t.name for t in SQLModel.metadata.sorted_tables if "user_id" in t.c}
    assert with_user_id | {"users"} == {t.name for t in store.tables()} == ALL_TABLES


def test_rows_of_one_user_in_every_table(any_db: Database) -> None:
    seed_user(any_db, 1, NOW, "mine")
    seed_user(any_db, 2, NOW, "theirs")
    rows = snapshot(any_db, 1)
    assert set(rows) == ALL_TABLES
    assert all(rows[name] for name in ALL_TABLES), "seed every table"
    for name, table_rows in rows.items():
        owner = "id" if name == "users" else "user_id"
        assert {row[owner] for row in table_rows} == {1}
    (plan,) = rows["repair_plans"]
    assert plan["followup_note"] == "mine (followup_note)"
    assert plan["followup_at"].tzinfo is not None
    assert rows["checkins"][0]["emotions"] == ["calm", "anxious"]
    counts = store.counts(any_db, 1)
    assert counts == {name: len(table_rows) for name, table_rows in rows.items()}


def test_small_batches_stream_every_row(any_db: Database) -> None:
    seed_user(any_db, 1, NOW, "mine")
    checkins = next(t for t in store.tables() if t.name == "checkins")
    assert len(list(store.iter_rows(any_db, checkins, 1, batch=1))) == 2


def test_erase_removes_every_row_and_keeps_others(any_db: Database) -> None:
    seed_user(any_db, 1, NOW, "mine")
    seed_user(any_db, 2, NOW, "theirs")
    before = snapshot(any_db, 2)

    erased = store.erase(any_db, 1)

    assert set(erased) == ALL_TABLES and erased["users"] == 1
    assert store.counts(any_db, 1) == dict.fromkeys(erased, 0)
    assert snapshot(any_db, 2) == before
    assert store.erase(any_db, 1) == dict.fromkeys(erased, 0)  # twice is harmless


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.sqlite_only
def test_erased_text_is_gone_from_the_sqlite_files(sqlite_db: Database) -> None:
    marker = "QZX-ERASE-ME-7731"
    long_text = marker + " " + "x" * 9000 + " " + marker  # spills into overflow pages
    seed_user(sqlite_db, 1, NOW, long_text)
    seed_user(sqlite_db, 2, NOW, "KEEP-ME-4410")
    path = Path(sqlite_db.engine.url.database or "")
    assert marker.encode() in _file_bytes(path)

    store.erase(sqlite_db, 1)

    raw = _file_bytes(path)
    assert marker.encode() not in raw
    assert b"KEEP-ME-4410" in raw  # the scan does see text that is still stored


@pytest.mark.sqlite_only
def test_a_checkpoint_kept_from_completing_by_a_reader_is_tried_again(
    sqlite_db: Database,
) -> None:
    marker = "QZX-ERASE-ME-5512"
    seed_user(sqlite_db, 1, NOW, marker + " " + "x" * 9000)
    path = Path(sqlite_db.engine.url.database or "")
    reader = sqlite3.connect(path)  # another update reading, on the snapshot before
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM checkins").fetchone()
    attempts: list[int] = []

    def pause(attempt: int) -> None:  # the reader's update is done by the next attempt
        attempts.append(attempt)
        reader.close()

    store.erase(sqlite_db, 1, pause=pause)

    assert attempts == [0]  # the first checkpoint could not finish, the second did
    assert marker.encode() not in _file_bytes(path)

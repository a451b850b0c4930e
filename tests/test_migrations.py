"""Migrations: head applies to an empty database twice, and matches the models exactly."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import inspect, make_url, text
from sqlmodel import SQLModel, select

from bot.columns import set_text_cipher
from bot.crypto import FernetTextCipher
from bot.models import CheckIn
from bot.store.db import MIGRATIONS_DIR, Database, make_engine, upgrade_to_head


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


def _upgrade(url: str, revision: str) -> None:
    cfg = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, revision)


def _check_0005(url: str) -> None:
    """Rows from before 0005: plain text is marked (a typed ``enc:v1:…`` too), real
    ciphertext is kept, and a user first seen in a group gets their private chat back."""
    key = Fernet.generate_key().decode()
    real = FernetTextCipher(key).encrypt("under the key")
    typed = "enc:v1:" + "A" * 96
    _upgrade(url, "0003")
    db = Database(url, make_engine(url))
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, chat_id, first_name, timezone, morning_time,"
                " evening_time, weekly_day, weekly_time, paused, active, created_at, updated_at)"
                " VALUES (1001, -100555, 'A', 'UTC', '08:00', '21:00', 6, '19:00', :f, :t,"
                " :day, :day)"
            ),
            {"f": False, "t": True, "day": datetime(2026, 3, 1)},
        )
        for need, lesson in (
            (typed, "txt:kept as typed"),
            (real, None),
            ("ENC:V1:" + "B" * 96, "x"),
        ):
            conn.execute(
                text(
                    "INSERT INTO checkins (user_id, kind, local_date, status, started_at,"
                    " updated_at, emotions, need, lesson) VALUES (1001, 'morning', :d,"
                    " 'completed', :day, :day, '[]', :need, :lesson)"
                ),
                {
                    "d": date(2026, 3, 1),
                    "day": datetime(2026, 3, 1),
                    "need": need,
                    "lesson": lesson,
                },
            )
    _upgrade(url, "head")
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT need, lesson FROM checkins ORDER BY id")).all()
        chat = conn.execute(text("SELECT chat_id FROM users")).scalar()
    assert [tuple(r) for r in rows] == [
        ("txt:" + typed, "txt:txt:kept as typed"),
        (real, None),
        ("txt:ENC:V1:" + "B" * 96, "txt:x"),
    ]
    assert chat == 1001
    try:
        set_text_cipher(FernetTextCipher(key))
        with db.session() as s:
            needs = [(c.need, c.lesson) for c in s.exec(select(CheckIn).order_by(CheckIn.id))]
        assert needs == [
            (typed, "txt:kept as typed"),
            ("under the key", None),
            ("ENC:V1:" + "B" * 96, "x"),
        ]
    finally:
        set_text_cipher(None)
        db.dispose()


def test_0005_marks_stored_plain_text_and_sends_to_private_chats(tmp_path: Path) -> None:
    _check_0005(f"sqlite:///{tmp_path / 'old.db'}")


def test_0005_on_postgres(pg_url: str) -> None:
    """The same on a fresh PostgreSQL database (its own, not the suite's)."""
    parsed = make_url(pg_url)
    fresh = parsed.set(database=f"{parsed.database}_mig0005")
    admin = make_engine(
        parsed.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{fresh.database}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{fresh.database}"')
    try:
        _check_0005(fresh.render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)')
        admin.dispose()

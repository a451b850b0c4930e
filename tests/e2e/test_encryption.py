"""Encryption at rest: ciphertext in the tables, plain text in the bot, clear refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlmodel import col, select

from bot import __main__ as entry
from bot.app import build_application
from bot.config import ConfigError, settings_from
from bot.crypto import PREFIX, FernetTextCipher, PlainTextCipher
from bot.models import CheckIn
from bot.rekey import transform_for
from bot.store import freetext
from bot.store.db import Database
from bot.types import set_text_cipher
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig
from tests.fakebot import FakeBotApi
from tests.store.seed_data import seed_user

KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def plain_afterwards() -> Iterator[None]:
    set_text_cipher(None)
    yield
    set_text_cipher(None)


def raw(db: Database, user_id: int, column: str = "need") -> list[str]:
    """What the database holds, read without the FreeText type."""
    with db.engine.connect() as conn:
        query = f"SELECT {column} FROM checkins WHERE user_id = {int(user_id)} ORDER BY id"
        return [row[0] for row in conn.exec_driver_sql(query)]


def read(db: Database, user_id: int) -> list[str | None]:
    with db.session() as s:
        rows = s.exec(select(CheckIn).where(col(CheckIn.user_id) == user_id).order_by(CheckIn.id))
        return [c.need for c in rows]


def settings(db: Database, **env: str):  # type: ignore[no-untyped-def]
    return settings_from({"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": db.url, **env})


async def test_new_text_is_encrypted_and_everything_reads_back(
    server: FakeBotApi, db: Database, clock: FakeClock
) -> None:
    seed_user(db, 7, NOW, "written before the key")  # no cipher yet: plain text
    rig = BotRig(server, db, clock, STEADY_ENCRYPTION_KEY=KEY)
    await rig.start()
    try:
        seed_user(db, 1001, NOW, "Ich hatte Angst 😔")

        stored = raw(db, 1001)
        assert all(v.startswith("enc:v1:") and "Angst" not in v for v in stored)
        assert raw(db, 7) == ["written before the key (need)"] * 2
        assert read(db, 1001) == ["Ich hatte Angst 😔 (need)"] * 2
        assert read(db, 7) == ["written before the key (need)"] * 2

        (doc,) = [e for e in await rig.user(1001).ask("/export") if e.kind == "document"]
        exported = json.loads(doc.document or b"")
        assert exported["triggers"][0]["story"] == "Ich hatte Angst 😔 (story)"
    finally:
        await rig.stop()


def test_wrong_or_missing_key_refuses_to_start(db: Database) -> None:
    set_text_cipher(FernetTextCipher(KEY))
    seed_user(db, 1, NOW, "secret")
    set_text_cipher(None)

    with pytest.raises(ConfigError, match="not the key"):
        build_application(settings(db, STEADY_ENCRYPTION_KEY=NEW_KEY), db=db)
    with pytest.raises(ConfigError, match="STEADY_ENCRYPTION_KEY is not set"):
        build_application(settings(db), db=db)

    build_application(
        settings(db, STEADY_ENCRYPTION_KEY=NEW_KEY, STEADY_ENCRYPTION_OLD_KEYS=KEY), db=db
    )
    assert read(db, 1) == ["secret (need)"] * 2


def test_one_encrypted_value_in_any_column_is_found_at_start_up(any_db: Database) -> None:
    seed_user(any_db, 1, NOW, "plain")  # plain text everywhere...
    set_text_cipher(FernetTextCipher(KEY))
    with any_db.session() as s:  # ...but one later column of one row, under the key
        last = s.exec(select(CheckIn).order_by(col(CheckIn.id).desc())).first()
        assert last is not None
        last.lesson = "written under the key"
        s.add(last)
    set_text_cipher(None)

    assert freetext.stored_samples(any_db, PREFIX) == [raw(any_db, 1, "lesson")[-1]]
    with pytest.raises(ConfigError, match="STEADY_ENCRYPTION_KEY is not set"):
        build_application(settings(any_db), db=any_db)


def test_python_m_bot_exits_with_the_reason(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    set_text_cipher(FernetTextCipher(KEY))
    seed_user(sqlite_db, 1, NOW, "secret")
    set_text_cipher(None)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("STEADY_ENCRYPTION_KEY", NEW_KEY)
    monkeypatch.delenv("STEADY_ENCRYPTION_OLD_KEYS", raising=False)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    assert entry.main() == 2
    assert "STEADY_ENCRYPTION_KEY cannot decrypt" in capsys.readouterr().err


def test_rekey_moves_everything_to_the_new_key_and_back(any_db: Database) -> None:
    seed_user(any_db, 1, NOW, "plain from the start")
    set_text_cipher(FernetTextCipher(KEY))
    seed_user(any_db, 2, NOW, "under the old key")
    rotating = FernetTextCipher(NEW_KEY, [KEY])

    changed = freetext.rewrite(any_db, transform_for(rotating, decrypt=False), batch=1)

    assert changed > 0
    new_only = FernetTextCipher(NEW_KEY)
    for user_id in (1, 2):
        assert all(new_only.is_current(v) for v in raw(any_db, user_id))
    assert freetext.rewrite(any_db, transform_for(rotating, decrypt=False)) == 0
    set_text_cipher(new_only)
    assert read(any_db, 1) == ["plain from the start (need)"] * 2
    assert read(any_db, 2) == ["under the old key (need)"] * 2

    freetext.rewrite(any_db, transform_for(new_only, decrypt=True))
    assert raw(any_db, 2) == ["under the old key (need)"] * 2
    set_text_cipher(PlainTextCipher())
    assert read(any_db, 2) == ["under the old key (need)"] * 2

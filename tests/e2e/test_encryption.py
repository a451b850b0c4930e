"""Encryption at rest: ciphertext in the tables, plain text in the bot, clear refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from sqlmodel import col, select

from bot import __main__ as entry
from bot import rekey
from bot.app import build_application
from bot.columns import set_text_cipher
from bot.config import settings_from
from bot.crypto import PREFIX, FernetTextCipher, PlainTextCipher
from bot.models import CheckIn, TriggerEntry
from bot.rekey import transform_for
from bot.store import freetext
from bot.store.db import Database
from tests.conftest import FakeClock
from tests.e2e.rig import BotRig, texts
from tests.fakebot import FakeBotApi
from tests.seed.every_table import seed_user

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
        assert raw(db, 7) == ["txt:written before the key (need)"] * 2
        assert read(db, 1001) == ["Ich hatte Angst 😔 (need)"] * 2
        assert read(db, 7) == ["written before the key (need)"] * 2

        (doc,) = [e for e in await rig.user(1001).ask("/export") if e.kind == "document"]
        exported = json.loads(doc.document or b"")
        assert exported["triggers"][0]["story"] == "Ich hatte Angst 😔 (story)"
        assert exported["noticed_moments"][0]["actual"] == "Ich hatte Angst 😔 (actual)"
        with db.engine.connect() as conn:
            (moment,) = conn.exec_driver_sql(
                "SELECT actual FROM noticed_moments WHERE user_id = 1001"
            ).all()
        assert moment[0].startswith("enc:v1:") and "Angst" not in moment[0]
        assert exported["practice_logs"][0]["feared"] == "Ich hatte Angst 😔 (feared)"
        assert exported["practice_rungs"][0]["text"] == "Ich hatte Angst 😔 (text)"
        with db.engine.connect() as conn:
            (practice,) = conn.exec_driver_sql(
                "SELECT feared, learned, person FROM practice_logs WHERE user_id = 1001"
            ).all()
            (rung,) = conn.exec_driver_sql(
                "SELECT text FROM practice_rungs WHERE user_id = 1001"
            ).all()
        assert all(v.startswith("enc:v1:") and "Angst" not in v for v in (*practice, *rung))
    finally:
        await rig.stop()


def test_a_wrong_or_missing_key_starts_and_names_what_it_cannot_read(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    set_text_cipher(FernetTextCipher(KEY))
    seed_user(db, 1, NOW, "secret")
    set_text_cipher(None)
    ids = seed_user(db, 2, NOW, "plain")["checkins"]
    set_text_cipher(FernetTextCipher(KEY))
    with db.session() as s:  # one later value of user 2, under the key
        row = s.get(CheckIn, ids[-1])
        assert row is not None
        row.lesson = "written under the key"
        s.add(row)
    set_text_cipher(None)

    for env in ({"STEADY_ENCRYPTION_KEY": NEW_KEY}, {}):
        caplog.clear()
        build_application(settings(db, **env), db=db)  # starts: no ConfigError
        logged = [r.getMessage() for r in caplog.records]
        assert f"freetext_unreadable_at_start table=checkins column=lesson row={ids[-1]}" in (
            logged
        )
        assert any(m.startswith("freetext_unreadable_at_start table=triggers") for m in logged)
        assert not any("secret" in m or "written under" in m for m in logged)
        assert read(db, 1) == ["(this answer can't be read right now)"] * 2
        assert read(db, 2) == ["plain (need)"] * 2  # the rest reads

    build_application(
        settings(db, STEADY_ENCRYPTION_KEY=NEW_KEY, STEADY_ENCRYPTION_OLD_KEYS=KEY), db=db
    )
    assert read(db, 1) == ["secret (need)"] * 2


def test_a_malformed_key_still_stops_the_start(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("STEADY_ENCRYPTION_KEY", "not-a-fernet-key")
    monkeypatch.delenv("STEADY_ENCRYPTION_OLD_KEYS", raising=False)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    assert entry.main() == 2
    assert "STEADY_ENCRYPTION_KEY is not a valid Fernet key" in capsys.readouterr().err


LOOKALIKE = PREFIX + "A" * 96  # what issue 21 typed


async def test_an_answer_typed_like_ciphertext_reads_back_after_a_restart(
    server: FakeBotApi, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    rig = BotRig(server, db, clock)
    await rig.start()
    try:
        user = await rig.onboarded()
        await user.ask("/trigger")
        await user.ask(LOOKALIKE)  # the situation
        await user.ask("/cancel")

        await rig.restart()  # used to exit: "holds encrypted text but … is not set"
        assert not [r for r in caplog.records if "unreadable" in r.getMessage()]
        (doc,) = [e for e in await user.ask("/export") if e.kind == "document"]
        assert json.loads(doc.document or b"")["triggers"][0]["situation"] == LOOKALIKE
        assert "Something went wrong" not in texts(user.events)
    finally:
        await rig.stop()

    # turning encryption on later, and rekey, keep it as typed too
    changed, unreadable = freetext.rewrite(db, transform_for(FernetTextCipher(KEY), False))
    assert changed > 0 and unreadable == []
    set_text_cipher(FernetTextCipher(KEY))
    with db.session() as s:
        (entry_row,) = s.exec(select(TriggerEntry)).all()
        assert entry_row.situation == LOOKALIKE


def test_rekey_moves_everything_to_the_new_key_and_back(any_db: Database) -> None:
    seed_user(any_db, 1, NOW, "plain from the start")
    set_text_cipher(FernetTextCipher(KEY))
    seed_user(any_db, 2, NOW, "under the old key")
    rotating = FernetTextCipher(NEW_KEY, [KEY])

    changed, unreadable = freetext.rewrite(any_db, transform_for(rotating, False), batch=1)

    assert changed > 0 and unreadable == []
    new_only = FernetTextCipher(NEW_KEY)
    for user_id in (1, 2):
        assert all(new_only.is_current(v) for v in raw(any_db, user_id))
    assert freetext.rewrite(any_db, transform_for(rotating, decrypt=False)) == (0, [])
    set_text_cipher(new_only)
    assert read(any_db, 1) == ["plain from the start (need)"] * 2
    assert read(any_db, 2) == ["under the old key (need)"] * 2

    freetext.rewrite(any_db, transform_for(new_only, decrypt=True))
    assert raw(any_db, 2) == ["txt:under the old key (need)"] * 2
    set_text_cipher(PlainTextCipher())
    assert read(any_db, 2) == ["under the old key (need)"] * 2


def test_rekey_rewrites_what_it_can_and_names_what_it_cannot(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_user(sqlite_db, 1, NOW, "plain")
    set_text_cipher(FernetTextCipher(NEW_KEY))  # a key since lost
    with sqlite_db.session() as s:
        lost = s.exec(select(CheckIn).order_by(col(CheckIn.id))).first()
        assert lost is not None
        lost.lesson = "under a lost key"
        s.add(lost)
    set_text_cipher(None)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("STEADY_ENCRYPTION_KEY", KEY)
    monkeypatch.delenv("STEADY_ENCRYPTION_OLD_KEYS", raising=False)

    assert rekey.main([]) == 1
    out = capsys.readouterr()
    assert "rewrote" in out.out
    assert f"checkins.lesson row {lost.id}" in out.err and "under a lost key" not in out.err
    assert all(v.startswith("enc:v1:") for v in raw(sqlite_db, 1))  # the rest moved

    monkeypatch.setenv("STEADY_ENCRYPTION_OLD_KEYS", NEW_KEY)
    assert rekey.main(["--decrypt"]) == 0
    assert raw(sqlite_db, 1) == ["txt:plain (need)"] * 2
    assert raw(sqlite_db, 1, "lesson")[0] == "txt:under a lost key"

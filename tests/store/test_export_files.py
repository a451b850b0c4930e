"""The export files: JSON and CSV-in-zip, streamed; zipped or split past Telegram's limit."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from datetime import UTC, date, datetime

import pytest

from bot.models import CheckIn
from bot.services import export
from bot.store import users
from bot.store.db import Database
from tests.seed.every_table import seed_user

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TABLES = {
    "users",
    "due_prompts",
    "checkins",
    "commitments",
    "triggers",
    "repair_plans",
    "noticed_moments",
    "practice_rungs",
    "practice_logs",
    "practice_plans",
    "safety_plans",
    "conversation_states",
}
TRICKY = 'Line one, "quoted"\nline two; ünïcödé 🌱 =1+2'


def _json(db: Database, user_id: int, now: datetime = NOW) -> tuple[str, dict]:
    built = export.build(db, user_id, now, "json")
    assert built is not None
    built.file.seek(0)
    try:
        return built.filename, json.loads(built.file.read().decode("utf-8"))
    finally:
        built.close()


def test_json_holds_every_table_with_text_verbatim(db: Database) -> None:
    seed_user(db, 1, NOW, TRICKY)
    seed_user(db, 2, NOW, "someone else")
    filename, doc = _json(db, 1)

    assert filename == "steady-export-2026-03-02.json"
    assert doc["steady_export"]["format_version"] == 1
    assert doc["steady_export"]["exported_at"] == "2026-03-02T09:00:00+00:00"
    assert set(doc) == {"steady_export", *TABLES}
    (user,) = doc["users"]
    assert user["consent_at"] == "2026-03-02T09:00:00+00:00" and user["notice_version"] == "1"
    assert user["timezone"] == "Europe/Berlin" and user["morning_time"] == "07:30"
    morning, evening = doc["checkins"]
    assert morning["need"] == f"{TRICKY} (need)"
    assert morning["emotions"] == ["calm", "anxious"] and morning["local_date"] == "2026-03-02"
    assert evening["lesson"] == f"{TRICKY} (lesson)"
    (trigger,) = doc["triggers"]
    assert trigger["balanced"] == f"{TRICKY} (balanced)"
    (plan,) = doc["repair_plans"]
    assert plan["followup_outcome"] == "happened"
    assert plan["followup_note"] == f"{TRICKY} (followup_note)"
    assert {p["kind"] for p in doc["due_prompts"]} == {"morning", "repair_followup"}
    assert doc["commitments"][0]["text"] == f"{TRICKY} (text)"
    (safety,) = doc["safety_plans"]
    assert safety["reasons"] == f"{TRICKY} (reasons)" and safety["coping"] == f"{TRICKY} (coping)"
    assert doc["conversation_states"][0]["name"] == "checkin"
    assert "someone else" not in json.dumps(doc)


def test_filename_uses_the_users_local_date(db: Database) -> None:
    seed_user(db, 1, NOW, "x")
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # already March 3rd in Berlin
    assert _json(db, 1, late)[0] == "steady-export-2026-03-03.json"


def test_a_user_with_only_settings_exports_empty_tables(db: Database) -> None:
    users.ensure(db, 5, 5, "Kim", None, NOW)
    _, doc = _json(db, 5)
    assert len(doc["users"]) == 1
    assert all(doc[name] == [] for name in TABLES - {"users"})


def test_nothing_stored_means_no_file(db: Database) -> None:
    assert export.build(db, 404, NOW, "json") is None


def test_csv_zip_has_one_csv_per_table(db: Database) -> None:
    seed_user(db, 1, NOW, TRICKY)
    built = export.build(db, 1, NOW, "csv")
    assert built is not None and built.filename == "steady-export-2026-03-02-csv.zip"
    built.file.seek(0)
    with zipfile.ZipFile(io.BytesIO(built.file.read())) as archive:
        names = set(archive.namelist())
        assert names == {"README.txt", *(f"{name}.csv" for name in TABLES)}
        tables = {
            name[:-4]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in names
            if name.endswith(".csv")
        }
    built.close()
    assert len(tables["checkins"]) == 2
    assert tables["checkins"][0]["need"] == f"{TRICKY} (need)"
    assert json.loads(tables["checkins"][0]["emotions"]) == ["calm", "anxious"]
    assert tables["users"][0]["notice_version"] == "1"
    assert tables["repair_plans"][0]["followup_note"] == f"{TRICKY} (followup_note)"


def test_long_histories_never_touch_the_disk(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export is decrypted text: it stays in memory, however long (5 MB here; it used to
    roll over into a temporary file past 4 MB)."""

    def no_temporary_file(*args: object, **kwargs: object) -> None:
        raise AssertionError("the export was written to a temporary file")

    for name in ("TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, no_temporary_file)
    users.ensure(db, 1, 1, "Kim", None, NOW)
    long_need = "n" * 4000
    with db.session() as s:
        s.add_all(
            CheckIn(
                user_id=1,
                kind="morning",
                local_date=date(2026, 1, 1),
                need=f"{i} {long_need}",
                started_at=NOW,
                updated_at=NOW,
            )
            for i in range(1200)
        )
    _, doc = _json(db, 1)
    assert [c["need"] for c in doc["checkins"]] == [f"{i} {long_need}" for i in range(1200)]


def _joined(delivery: export.Delivery) -> bytes:
    return b"".join(part.read() for part in delivery.parts)


def test_too_large_for_telegram_is_zipped(db: Database) -> None:
    seed_user(db, 1, NOW, "y" * 3000)
    built = export.build(db, 1, NOW, "json")
    assert built is not None
    size = built.size
    delivery = export.fit(built, NOW, limit=size - 1)
    assert delivery.zipped and not delivery.split
    (part,) = delivery.parts
    assert part.filename == "steady-export-2026-03-02.json.zip"
    with zipfile.ZipFile(io.BytesIO(part.read())) as archive:
        doc = json.loads(archive.read("steady-export-2026-03-02.json"))
    assert doc["checkins"][0]["need"].startswith("yyy")
    delivery.close()


def test_still_too_large_is_split_into_numbered_parts(db: Database) -> None:
    seed_user(db, 1, NOW, "a few words")
    built = export.build(db, 1, NOW, "csv")
    assert built is not None
    delivery = export.fit(built, NOW, limit=700)
    assert delivery.split and not delivery.zipped
    names = [part.filename for part in delivery.parts]
    assert names[0] == "steady-export-2026-03-02-csv.zip.001"
    assert all(part.length <= 700 for part in delivery.parts)
    with zipfile.ZipFile(io.BytesIO(_joined(delivery))) as archive:
        assert "checkins.csv" in archive.namelist()
    delivery.close()


def test_small_exports_go_as_they_are(db: Database) -> None:
    seed_user(db, 1, NOW, "short")
    built = export.build(db, 1, NOW, "json")
    assert built is not None
    delivery = export.fit(built, NOW)
    assert not delivery.zipped and not delivery.split
    assert json.loads(_joined(delivery))["users"][0]["id"] == 1
    delivery.close()

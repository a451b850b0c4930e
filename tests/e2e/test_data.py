"""/export and /delete end to end: the file the user receives, and erasing everything."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from bot.handlers.common import conversation_handlers
from bot.services import export
from bot.store import export as store
from bot.store import users
from tests.e2e.forgery import press_forged
from tests.e2e.rig import BotRig, sent, texts
from tests.fakebot import BotEvent
from tests.seed.every_table import seed_user

TABLES = {t.name for t in store.tables()}


def documents(events: list[BotEvent]) -> list[BotEvent]:
    return [e for e in events if e.kind == "document"]


def only_document(events: list[BotEvent]) -> BotEvent:
    (doc,) = documents(events)
    assert doc.document is not None
    return doc


async def test_export_sends_everything_as_json_then_csv(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    seed_user(rig.db, 1001, rig.clock(), "Mi nota: «todo» 🌱")
    seed_user(rig.db, 2002, rig.clock(), "not Alex's")

    doc = only_document(await alex.ask("/export"))

    assert doc.filename == "steady-export-2026-03-02.json"
    assert "everything I keep about you" in (doc.text or "")
    data = json.loads(doc.document or b"")
    assert set(data) == {"steady_export", *TABLES}
    assert data["users"][0]["consent_at"] == "2026-03-02T09:00:00+00:00"
    assert data["users"][0]["notice_version"] == "1"
    assert data["triggers"][0]["story"] == "Mi nota: «todo» 🌱 (story)"
    assert len(data["checkins"]) == 2 and len(data["due_prompts"]) == 2
    assert "not Alex's" not in (doc.document or b"").decode()
    assert doc.buttons == [["Also as CSV files (zip)"]]

    csv_doc = only_document(await alex.tap("Also as CSV files (zip)"))
    assert csv_doc.filename == "steady-export-2026-03-02-csv.zip"
    with zipfile.ZipFile(io.BytesIO(csv_doc.document or b"")) as archive:
        assert {f"{name}.csv" for name in TABLES} <= set(archive.namelist())
        text = archive.read("repair_plans.csv").decode("utf-8-sig")
    (plan,) = csv.DictReader(io.StringIO(text))
    assert plan["what_happened"] == "Mi nota: «todo» 🌱 (what_happened)"


async def test_export_csv_directly_and_consent_from_onboarding(rig: BotRig) -> None:
    sam = await rig.onboarded(1003, "Sam")
    (user,) = json.loads(only_document(await sam.ask("/export")).document or b"")["users"]
    assert (user["consent_at"], user["notice_version"]) == ("2026-03-02T09:00:00+00:00", "1")
    doc = only_document(await sam.ask("/export csv"))
    assert doc.filename == "steady-export-2026-03-02-csv.zip"
    with zipfile.ZipFile(io.BytesIO(doc.document or b"")) as archive:
        (user,) = csv.DictReader(io.StringIO(archive.read("users.csv").decode("utf-8-sig")))
    assert user["notice_version"] == "1" and user["consent_at"].startswith("2026-03-02T09:00")
    assert user["timezone"] == "Europe/Berlin"


async def test_export_with_nothing_stored(rig: BotRig) -> None:
    (reply,) = await rig.user(1004).ask("/export")
    assert "nothing to export" in reply.text


async def test_large_export_is_zipped_or_split(
    rig: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex = rig.user(1001)
    seed_user(rig.db, 1001, rig.clock(), "word " * 400)
    monkeypatch.setattr(export, "MAX_DOCUMENT_BYTES", 8000)
    events = sent(await alex.ask("/export"))
    assert "zipped" in texts(events)
    assert only_document(events).filename == "steady-export-2026-03-02.json.zip"

    monkeypatch.setattr(export, "MAX_DOCUMENT_BYTES", 600)
    rig.clock.advance(minutes=2)  # past the export's cooldown
    events = sent(await alex.ask("/export"))
    parts = documents(events)
    assert len(parts) > 1 and "parts" in texts(events)
    assert [p.filename for p in parts][:2] == [
        "steady-export-2026-03-02.json.zip.001",
        "steady-export-2026-03-02.json.zip.002",
    ]
    joined = b"".join(p.document or b"" for p in parts)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        data = json.loads(archive.read("steady-export-2026-03-02.json"))
    assert data["users"][0]["id"] == 1001


async def test_delete_erases_everything_and_start_begins_fresh(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    seed_user(rig.db, 1001, rig.clock(), "private words")
    seed_user(rig.db, 2002, rig.clock(), "other words")
    others = store.counts(rig.db, 2002)

    (ask,) = await alex.ask("/delete")
    assert "check-ins: 2" in ask.text and "trigger logs: 1" in ask.text
    assert "can't be undone" in ask.text
    assert ask.buttons == [["Delete everything"], ["Keep my data"]]

    (done,) = await alex.tap("Delete everything")
    assert "erased" in done.text and "/start" in done.text
    assert set(store.counts(rig.db, 1001).values()) == {0}
    assert store.counts(rig.db, 2002) == others

    (welcome,) = await alex.ask("/start")
    assert "Hi Alex" in welcome.text and welcome.buttons == [["Let's begin"]]
    fresh = users.get(rig.db, 1001)
    assert fresh is not None and fresh.consent_at is None and fresh.onboarded_at is None


async def test_keep_my_data_deletes_nothing(rig: BotRig) -> None:
    alex = rig.user(1001)
    seed_user(rig.db, 1001, rig.clock(), "private words")
    before = store.counts(rig.db, 1001)
    await alex.ask("/delete")
    (kept,) = await alex.tap("Keep my data")
    assert "Nothing was deleted" in kept.text
    assert store.counts(rig.db, 1001) == before


async def test_an_old_confirmation_does_nothing(rig: BotRig) -> None:
    alex = rig.user(1001)
    seed_user(rig.db, 1001, rig.clock(), "private words")
    await alex.ask("/delete")
    rig.clock.advance(hours=2)
    (expired,) = await alex.tap("Delete everything")
    assert "expired" in expired.text
    assert store.counts(rig.db, 1001)["checkins"] == 2


async def test_delete_ends_open_conversations(rig: BotRig) -> None:
    alex = rig.user(1001, "Alex")
    await alex.ask("/start")
    await alex.tap("Let's begin")  # now at the timezone question
    await alex.ask("/delete")
    await alex.tap("Delete everything")
    assert set(store.counts(rig.db, 1001).values()) == {0}

    reply = texts(await alex.ask("Berlin"))
    assert "Europe/Berlin" not in reply  # the timezone step did not resume
    await rig.restart()
    reply = texts(await alex.ask("Berlin"))
    assert "Europe/Berlin" not in reply


async def test_nothing_to_delete(rig: BotRig) -> None:
    (reply,) = await rig.user(1005).ask("/delete")
    assert "nothing to delete" in reply.text
    assert users.get(rig.db, 1005) is None


async def test_after_delete_old_buttons_are_stale_and_make_no_new_user(rig: BotRig) -> None:
    alex = await rig.onboarded(1001, "Alex")
    (menu,) = await alex.ask("/settings")
    await alex.ask("/delete")
    (done,) = await alex.tap("Delete everything")
    assert "messages already in this chat stay here until you clear the chat" in done.text

    datas = [d for row in menu.button_data for d in row if d]
    for data in datas:  # the settings menu from before, still in the chat
        reply = texts(await press_forged(alex, data))
        assert "already ended" in reply, data
        assert users.get(rig.db, 1001) is None  # no row made from a stale button
    assert set(store.counts(rig.db, 1001).values()) == {0}


async def test_delete_ends_the_users_conversations_in_every_chat(rig: BotRig) -> None:
    alex = await rig.onboarded(1001, "Alex")
    await alex.ask("/trigger")  # open in the private chat
    app = rig.app
    assert app is not None
    trigger = next(h for h in conversation_handlers(app) if h.name == "trigger")
    trigger._update_state("situation", (-100_555, 1001))  # noqa: SLF001  (from before 0005)
    await alex.ask("/delete")
    await alex.tap("Delete everything")

    open_keys = [k for h in conversation_handlers(app) for k in h._conversations]  # noqa: SLF001
    assert [k for k in open_keys if k[-1] == 1001] == []

"""Database.single(): one statement on the thread's own connection, kept between statements."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bot.models import User
from bot.store import checkins, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
U = User.__table__  # type: ignore[attr-defined]


def test_a_kept_connection_sees_what_others_wrote_since(any_db: Database) -> None:
    assert users.ensure(any_db, 1, 1, "Alex", "en", NOW).timezone == "UTC"  # single()
    users.update_fields(any_db, 1, NOW, timezone="Europe/Berlin")  # an ORM session
    assert users.ensure(any_db, 1, 1, "Alex", "en", NOW).timezone == "Europe/Berlin"

    seen: list[str] = []
    worker = threading.Thread(
        target=lambda: seen.append(users.ensure(any_db, 1, 1, "Alex", "en", NOW).timezone)
    )
    worker.start()
    worker.join()
    assert seen == ["Europe/Berlin"]  # another thread, its own connection, the same row


def test_a_failed_statement_is_not_repeated_and_the_next_one_works(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "Alex", "en", NOW)
    row = {"id": 1, "chat_id": 1, "first_name": "Twin", "created_at": NOW, "updated_at": NOW}
    with pytest.raises(IntegrityError):
        any_db.single(U.insert(), row, retry=False)
    assert users.count(any_db) == 1
    assert users.ensure(any_db, 1, 1, "Alex", "en", NOW).first_name == "Alex"


def test_a_draft_change_lands_only_on_the_owners_open_draft(any_db: Database) -> None:
    for user_id in (1, 2):
        users.ensure(any_db, user_id, user_id, "U", "en", NOW)
    draft = checkins.start(any_db, 1, "morning", NOW.date(), NOW)
    assert draft.id is not None
    assert checkins.save_answer(any_db, 2, draft.id, NOW, intensity=3) is None  # not theirs
    later = NOW + timedelta(minutes=1)
    saved = checkins.save_answer(any_db, 1, draft.id, later, emotions=["calm"], intensity=4)
    assert saved is not None
    assert (saved.emotions, saved.intensity, saved.updated_at) == (["calm"], 4, later)
    again = checkins.start(any_db, 1, "morning", NOW.date(), later)  # closes the first
    assert checkins.save_answer(any_db, 1, draft.id, later, intensity=9) is None
    stored = {c.id: c for c in checkins.for_user(any_db, 1)}
    assert (stored[draft.id].status, stored[draft.id].intensity) == (checkins.CLOSED, 4)
    assert stored[again.id].status == checkins.DRAFT


def test_dispose_hands_back_every_kept_connection(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "Alex", "en", NOW)
    worker = threading.Thread(target=lambda: users.ensure(any_db, 1, 1, "Alex", "en", NOW))
    worker.start()
    worker.join()
    pool = any_db.engines[-1].pool
    assert pool.checkedout() == 2  # type: ignore[attr-defined]
    any_db.dispose()
    assert pool.checkedout() == 0  # type: ignore[attr-defined]
    assert users.ensure(any_db, 1, 1, "Alex", "en", NOW).first_name == "Alex"  # usable again


def test_the_user_and_their_open_check_in_come_back_together(any_db: Database) -> None:
    assert checkins.user_and_open_draft(any_db, 1) is None  # unknown user
    for user_id in (1, 2):
        users.ensure(any_db, user_id, user_id, f"U{user_id}", "en", NOW)
    users.update_fields(any_db, 1, NOW, timezone="Europe/Berlin")
    alone = checkins.user_and_open_draft(any_db, 1)
    assert alone is not None and alone[1] is None
    assert alone[0].model_dump() == users.get(any_db, 1).model_dump()  # type: ignore[union-attr]
    checkins.start(any_db, 2, "evening", NOW.date(), NOW)  # someone else's draft
    first = checkins.start(any_db, 1, "morning", NOW.date(), NOW)
    checkins.save_answer(any_db, 1, first.id or 0, NOW, emotions=["calm"])
    found = checkins.user_and_open_draft(any_db, 1)
    assert found is not None
    user, draft = found
    assert (user.id, user.timezone, user.created_at) == (1, "Europe/Berlin", NOW)
    assert draft is not None
    assert (draft.id, draft.user_id, draft.kind, draft.emotions) == (
        first.id,
        1,
        "morning",
        ["calm"],
    )
    later = checkins.start(any_db, 1, "evening", NOW.date(), NOW + timedelta(hours=12))
    assert checkins.user_and_open_draft(any_db, 1)[1].id == later.id  # type: ignore[index,union-attr]
    checkins.complete(any_db, 1, later.id or 0, NOW + timedelta(hours=13))
    assert checkins.user_and_open_draft(any_db, 1)[1] is None  # type: ignore[index]


def test_threads_keeping_connections_do_not_run_the_pool_dry(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "Alex", "en", NOW)
    threads = 24  # more at once than a default pool's 5 + 10 (each keeps its own)
    all_in = threading.Barrier(threads)
    names: list[str] = []

    def run() -> None:
        names.append(users.ensure(any_db, 1, 1, "Alex", "en", NOW).first_name)
        all_in.wait(timeout=30)  # every thread holds its connection at the same time

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert names == ["Alex"] * threads
    with any_db.session() as s:  # and a session still gets a connection
        assert s.get(User, 1) is not None


def test_a_thread_that_has_ended_hands_its_connection_back(any_db: Database) -> None:
    users.ensure(any_db, 1, 1, "Alex", "en", NOW)
    pool = any_db.engines[-1].pool
    for _ in range(3):  # short-lived threads, one after another
        worker = threading.Thread(target=lambda: users.ensure(any_db, 1, 1, "Alex", "en", NOW))
        worker.start()
        worker.join()
    # this thread's connection and the last thread's, not one per thread that ever ran
    assert pool.checkedout() == 2  # type: ignore[attr-defined]

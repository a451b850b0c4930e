"""A slow or vanished database does not stop everyone (issue 21, item 7).

One user's statement waits on a lock another connection holds (on SQLite the write lock, on
PostgreSQL a row lock): everyone else is answered meanwhile, that user hears that the notebook
can't be reached right now, and the same answer goes through once the lock is gone. Before,
the statement waited on the event loop: on PostgreSQL for as long as the lock was held (the
whole bot stopped), on SQLite 5 s and then a generic error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.content import t
from bot.store import checkins
from bot.store.db import Database, make_engine
from bot.store.waits import DatabaseUnavailable
from tests.e2e.rig import BotRig, sent, texts

HELP = "Here's what I can do"


@contextmanager
def lock_held(db: Database, user_id: int) -> Iterator[None]:
    """Another connection holds what a write to the user's check-in needs, until the end."""
    if db.is_sqlite:
        path = make_url(db.url).database
        assert path
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # SQLite's one write lock
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    engine = make_engine(db.url)
    conn = engine.connect()
    trans = conn.begin()
    conn.execute(
        text("SELECT id FROM checkins WHERE user_id = :u FOR UPDATE"), {"u": user_id}
    ).all()
    try:
        yield
    finally:
        trans.rollback()
        conn.close()
        engine.dispose()


async def test_a_statement_waiting_on_a_lock_does_not_stop_anyone_else(
    rig: BotRig, db: Database
) -> None:
    alex, bea = await rig.onboarded(1001, "Alex"), await rig.onboarded(1002, "Bea")
    await alex.ask("/checkin morning")
    await alex.tap("Skip")  # emotions
    await alex.tap("Skip")  # intensity: now "what do you need today?"

    with lock_held(db, alex.id):
        await alex.send("A quiet walk at lunch")  # its write has to wait for the lock
        for _ in range(3):  # Bea is answered all the while
            (reply,) = sent(await bea.ask("/help"))
            assert HELP in reply.text
        (kind,) = sent(await alex.replies_until_idle())
        assert kind.text == t("limits.notebook_unreachable")

    replies = sent(await alex.ask("A quiet walk at lunch"))  # the lock is gone: kept now
    assert "commitment" in replies[-1].text.lower()
    draft = checkins.open_draft(db, alex.id)
    assert draft is not None and draft.need == "A quiet walk at lunch"


@pytest.mark.sqlite_only
async def test_a_checkpoint_kept_waiting_by_a_reader_does_not_lock_others_out(
    rig: BotRig, db: Database
) -> None:
    """/delete's checkpoint waits for readers holding the write lock; other users' writes
    wait it out instead of failing with "database is locked"."""
    alex, bea = await rig.onboarded(1001, "Alex"), await rig.onboarded(1002, "Bea")
    path = make_url(db.url).database
    assert path
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM users").fetchall()  # a read on an old snapshot
    try:
        await bea.ask("/checkin morning")  # (a write after the reader's snapshot)
        await alex.ask("/delete")
        await alex.press("Delete everything")  # erased in a worker thread, then checkpointed
        await bea.press("Skip")  # meanwhile Bea's answers are written
        await alex.wait_idle()
        await bea.wait_idle()
        assert t("limits.notebook_unreachable") not in texts(bea.events)
        last = bea.last_message()
        assert last is not None and t("checkin.ask_intensity") in (last.text or "")
        assert "Everything I kept about you is erased" in texts(alex.events)
    finally:
        reader.execute("ROLLBACK")
        reader.close()


async def test_a_postgres_that_cannot_be_reached_is_not_waited_for_again() -> None:
    db = Database("postgresql+psycopg://steady@127.0.0.1:1/steady")  # nothing listens there
    try:
        with pytest.raises(Exception) as first:
            _statement(db)
        assert not isinstance(first.value, DatabaseUnavailable)  # the connect was tried
        assert not db.reachable
        with pytest.raises(DatabaseUnavailable):  # on the event loop: not tried again
            _statement(db)
        assert not db.ping()  # /healthz says so at once
    finally:
        db.dispose()


def _statement(db: Database) -> None:
    db.single(text("SELECT 1"))

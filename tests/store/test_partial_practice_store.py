"""Practice in SQL, on SQLite and PostgreSQL: a check-in, thought record or repair plan with at
least one answer counts, finished or not; one nobody answered counts for nothing (issue 24)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.store.db import Database
from tests import seed
from tests.records import summary_store as store

START, END = seed.WEEK_START, seed.WEEK_END
PREVIOUS = (START - timedelta(days=7), START - timedelta(days=1))


def day(n: int) -> date:
    return START + timedelta(days=n)


def load(db: Database, today: date = END) -> store.PeriodData:
    return store.load_period(db, 1001, START, END, PREVIOUS, today)


def test_partly_answered_check_ins_are_practice_days(any_db: Database) -> None:
    seed.user(any_db, 1001)
    partly = [
        {"emotions": ["anxious"]},  # only feelings chosen
        {"intensity": 0},  # an intensity of 0 is an answer too
        {"need": "Some quiet"},
        {"emotions": ["calm"], "intensity": 4, "need": "A walk"},  # all but the commitment
    ]
    for n, answers in enumerate(partly):
        seed.checkin(any_db, 1001, day(n), "morning", "closed", **answers)
    seed.checkin(any_db, 1001, day(4), "evening", "draft", lesson="Slow down")  # still open
    seed.checkin(any_db, 1001, day(5), "morning", "completed")  # every step skipped: finished
    seed.checkin(any_db, 1001, day(5), "evening", "closed", interactions="warm")
    got = load(any_db)

    # (done, finished) per day and kind
    slots = {(d.day, d.kind): (d.done, d.finished) for d in got.days}
    assert [slots[(day(n), "morning")] for n in range(4)] == [(1, 0)] * 4
    assert slots[(day(4), "evening")] == (1, 0)
    assert slots[(day(5), "morning")] == (1, 1)
    assert slots[(day(5), "evening")] == (1, 0)
    assert [(i.first, i.last, i.done) for i in got.checkin_islands] == [(day(0), day(5), 6)]
    assert not got.is_empty
    assert store.has_activity(any_db, 1001, day(1), day(1))  # one intensity of 0 is activity


def test_unanswered_check_ins_count_for_nothing(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.calendar(any_db, 1001, START, "C.d")  # left unanswered: closed, then an empty draft
    seed.checkin(any_db, 1001, day(3), "morning", "closed", emotions=[])  # picked, unpicked
    got = load(any_db)
    assert all(d.done == 0 for d in got.days)
    assert got.checkin_islands == ()
    assert got.is_empty
    assert not store.has_activity(any_db, 1001, START, END)


def test_a_partly_answered_day_joins_the_streak_of_finished_ones(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.calendar(any_db, 1001, START, "BB.S")  # Mon, Tue done; Wed nothing; Thu rest
    seed.checkin(any_db, 1001, day(2), "evening", "closed", triggered="no")  # Wed: partly
    (island,) = store.checkin_islands(any_db, 1001, day(3))
    assert (island.first, island.last, island.done) == (day(0), day(3), 3)


def test_thought_records_and_repair_plans_started_but_not_finished(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.trigger(any_db, 1001, day(0))  # finished
    seed.trigger(any_db, 1001, day(1), status="closed", step="situation", situation="At dinner")
    seed.trigger(any_db, 1001, day(2), status="draft", emotions=["anxious"], person=None)
    # Opened, nothing answered: counts for nothing.
    seed.trigger(any_db, 1001, day(3), status="draft", emotions=[], person=None, context=None,
                 before=None, after=None)  # fmt: skip
    seed.repair(any_db, 1001, day(0), outcome="happened")
    seed.repair(any_db, 1001, day(1), status="closed", person="Sam", step="person")
    seed.repair(any_db, 1001, day(2), status="draft", person=None, what_happened="We argued")
    seed.repair(any_db, 1001, day(3), status="draft", person=None)  # untouched
    got = load(any_db)
    assert (got.triggers.logged, got.triggers.started) == (1, 2)
    assert (got.repairs.planned, got.repairs.started) == (1, 2)
    assert (got.repairs.followed_up, got.repairs.outcomes) == (1, (("happened", 1),))


def test_only_untouched_drafts_are_no_activity(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.trigger(any_db, 1001, day(0), status="draft", emotions=[], person=None, context=None,
                 before=None, after=None)  # fmt: skip
    seed.repair(any_db, 1001, day(0), status="draft", person=None)
    got = load(any_db)
    assert got.is_empty
    assert not store.has_activity(any_db, 1001, START, END)
    seed.repair(any_db, 1001, day(1), status="closed", person=None, impact="They felt alone")
    assert not load(any_db).is_empty
    assert store.has_activity(any_db, 1001, START, END)

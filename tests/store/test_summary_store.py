"""Summary aggregates and history pages in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from bot.columns import set_text_cipher
from bot.store.db import Database
from tests import seed
from tests.records import history
from tests.records import summary_store as store

START, END = seed.WEEK_START, seed.WEEK_END
PREVIOUS = (START - timedelta(days=7), START - timedelta(days=1))


def load(db: Database, user_id: int = 1001) -> store.PeriodData:
    return store.load_period(db, user_id, START, END, PREVIOUS, END)


def test_period_aggregates(any_db: Database) -> None:
    seed.seeded_week(any_db)
    seed.seeded_week(any_db, 2002)  # someone else's identical week changes nothing
    got = load(any_db)

    monday = {d.kind: d for d in got.days if d.day == START}
    assert (monday["morning"].done, monday["morning"].intensity_sum) == (1, 6)
    wednesday = [d for d in got.days if d.day == START + timedelta(days=2)]
    assert {(d.kind, d.done, d.rest) for d in wednesday} == {
        ("morning", 0, 1),
        ("evening", 0, 1),
    }
    assert got.previous_intensity == 6.5
    assert got.emotions[:3] == (("anxious", 5), ("hopeful", 3), ("calm", 2))
    assert got.triggers.logged == 3
    assert (got.triggers.before_avg, got.triggers.after_avg) == (7.0, 4.0)
    assert sorted(got.triggers.people) == [("Mum", 1), ("partner", 2)]
    assert sorted(got.triggers.contexts) == [("home", 1), ("texting", 2)]
    assert sorted(got.triggers.distortions) == [("catastrophizing", 1), ("mind_reading", 2)]
    assert got.repairs == store.RepairStats(planned=2, followed_up=1, outcomes=(("happened", 1),))
    assert got.commitments == store.CommitmentStats(made=6, kept=3, partly=1)
    assert not got.is_empty


def test_empty_period(any_db: Database) -> None:
    seed.user(any_db, 1001)
    seed.calendar(any_db, 1001, date(2026, 1, 5), "DDDD")
    got = load(any_db)
    assert got.is_empty
    assert got.days == () and got.emotions == ()
    assert got.triggers == store.TriggerStats()
    assert [i.done for i in got.checkin_islands] == [4]
    assert not store.has_activity(any_db, 1001, START, END)
    assert store.has_activity(any_db, 1001, date(2026, 1, 1), date(2026, 1, 5))


class _Scrambler:
    """A cipher that, like Fernet, never stores the same text twice the same way."""

    def __init__(self) -> None:
        self.n = 0

    def encrypt(self, text: str) -> str:
        self.n += 1
        return f"{self.n}|{text[::-1]}"

    def decrypt(self, stored: str) -> str:
        return stored.split("|", 1)[1][::-1]


def test_themes_still_merge_when_text_is_encrypted(any_db: Database) -> None:
    set_text_cipher(_Scrambler())
    try:
        seed.seeded_week(any_db)
        got = load(any_db)
    finally:
        set_text_cipher(None)
    people: dict[str, int] = {}
    for name, n in got.triggers.people:
        people[name] = people.get(name, 0) + n
    assert people == {"partner": 2, "Mum": 1}


def test_history_pages_newest_first(any_db: Database) -> None:
    seed.user(any_db, 1)
    seed.user(any_db, 2)
    monday = date(2026, 3, 2)
    for offset in range(4):
        seed.checkin(any_db, 1, monday + timedelta(days=offset), "morning", intensity=5)
    seed.checkin(any_db, 1, monday, "evening", "skipped")  # nothing to read: not listed
    seed.checkin(any_db, 1, monday, "evening", "closed")  # left unanswered: not listed
    seed.checkin(any_db, 1, monday + timedelta(days=1), "evening", "closed", lesson="Slow down")
    seed.trigger(any_db, 1, monday + timedelta(days=2))
    seed.repair(any_db, 1, monday + timedelta(days=3))
    seed.trigger(any_db, 2, monday + timedelta(days=9))  # someone else's

    first = history.page(any_db, 1, 0, 5)
    assert first.total == 7
    kinds = [(kind, entry.local_date.day) for kind, entry in first.entries]
    assert kinds == [("r", 5), ("c", 5), ("t", 4), ("c", 4), ("c", 3)]
    second = history.page(any_db, 1, 5, 5)
    assert [(k, e.local_date.day) for k, e in second.entries] == [("c", 3), ("c", 2)]
    tuesday_evening = first.entries[4][1]
    assert (tuesday_evening.kind, tuesday_evening.lesson) == ("evening", "Slow down")  # type: ignore[union-attr]


def test_history_entry_belongs_to_its_user(any_db: Database) -> None:
    seed.user(any_db, 1)
    seed.user(any_db, 2)
    mine = seed.trigger(any_db, 1, date(2026, 3, 2))
    theirs = seed.repair(any_db, 2, date(2026, 3, 2))
    assert history.entry(any_db, 1, "t", mine.id or 0) is not None
    assert history.entry(any_db, 1, "r", theirs.id or 0) is None
    assert history.entry(any_db, 1, "c", mine.id or 0) is None  # wrong table
    assert history.entry(any_db, 1, "x", mine.id or 0) is None

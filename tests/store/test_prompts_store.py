"""Claiming due prompts on SQLite and PostgreSQL, and two sweepers at once on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bot.models import DuePrompt, User
from bot.services.due import plan
from bot.store import claim, prompts
from bot.store.claim import STALE_CLAIM, claim_tick
from bot.store.db import Database
from tests import seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_users(db: Database, count: int) -> None:
    with db.session() as s:
        s.execute(
            User.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "id": i,
                    "chat_id": i,
                    "first_name": f"U{i}",
                    "timezone": "UTC",
                    "morning_time": "08:00",
                    "evening_time": "21:00",
                    "weekly_day": 6,
                    "weekly_time": "19:00",
                    "paused": False,
                    "active": True,
                    "onboarded_at": NOW,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(1, count + 1)
            ],
        )


def tick(db: Database, now: datetime, worker: str, limit: int = 100) -> list[int]:
    claimed, _ = claim_tick(db, now, worker, limit, lambda rows, us: plan(rows, us, now))
    return [row["id"] for row in claimed]


def test_claims_due_rows_once_oldest_first_within_the_limit(any_db: Database) -> None:
    make_users(any_db, 3)
    for user_id in (1, 2, 3):
        prompts.add(any_db, user_id, "snooze", NOW - timedelta(minutes=user_id), NOW)
    prompts.add(any_db, 1, "snooze", NOW + timedelta(seconds=1), NOW)  # not due yet
    first = tick(any_db, NOW, "a", limit=2)
    assert [prompts.get(any_db, i).user_id for i in first] == [3, 2]  # type: ignore[union-attr]
    (last,) = tick(any_db, NOW, "b", limit=5)
    assert prompts.get(any_db, last).user_id == 1  # type: ignore[union-attr]
    assert tick(any_db, NOW, "c") == []  # nothing left that is due and unclaimed


def test_next_occurrence_is_written_once(any_db: Database) -> None:
    make_users(any_db, 1)
    due = NOW.replace(hour=8, minute=0)
    prompts.add(any_db, 1, "morning", due, NOW)
    prompts.add_many(any_db, [(1, "morning", due + timedelta(days=1))], NOW)  # already there
    tick(any_db, NOW, "a")
    rows = [(p.due_at, p.state) for p in prompts.for_user(any_db, 1)]
    assert rows == [(due, "claimed"), (due + timedelta(days=1), "pending")]
    late = NOW + timedelta(days=1, hours=2)  # the bot was down: skipped, the next written
    tick(any_db, late, "a")
    rows = [(p.due_at, p.state) for p in prompts.for_user(any_db, 1)]
    assert rows[1:] == [(due + timedelta(days=1), "skipped"), (due + timedelta(days=2), "pending")]


def test_released_prompt_waits_for_its_backoff(any_db: Database) -> None:
    make_users(any_db, 1)
    prompts.add(any_db, 1, "snooze", NOW, NOW)
    (pid,) = tick(any_db, NOW, "a")
    prompts.release(any_db, pid, "a", NOW)
    assert tick(any_db, NOW + timedelta(seconds=29), "b") == []
    assert tick(any_db, NOW + timedelta(seconds=30), "b") == [pid]
    prompts.release(any_db, pid, "b", NOW + timedelta(seconds=30))  # attempts = 2: one minute
    assert tick(any_db, NOW + timedelta(seconds=89), "c") == []
    assert tick(any_db, NOW + timedelta(seconds=90), "c") == [pid]
    assert prompts.mark_sent(any_db, pid, "c", NOW + timedelta(seconds=90), 77)
    assert not prompts.mark_sent(any_db, pid, "b", NOW, 78)  # a lost claim can't mark it
    assert tick(any_db, NOW + timedelta(hours=1), "d") == []


def test_abandoned_claim_is_reclaimed_but_a_sent_one_never(any_db: Database) -> None:
    make_users(any_db, 1)
    prompts.add(any_db, 1, "snooze", NOW, NOW)
    prompts.add(any_db, 1, "snooze", NOW + timedelta(seconds=1), NOW)
    first, second = tick(any_db, NOW + timedelta(seconds=1), "dead")
    prompts.mark_sent(any_db, second, "dead", NOW, 5)
    later = NOW + STALE_CLAIM + timedelta(seconds=1)
    assert tick(any_db, later - timedelta(seconds=2), "alive") == []
    assert tick(any_db, later, "alive") == [first]


def test_two_sweepers_at_once_send_each_prompt_once(pg_db: Database) -> None:
    count = 300
    make_users(pg_db, count)
    prompts.add_many(
        pg_db, [(i, "snooze", NOW - timedelta(seconds=i)) for i in range(1, count + 1)], NOW
    )
    sends: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweeper(name: str) -> None:
        db = Database(pg_db.url)  # its own engine and connections, like another process
        try:
            start.wait()
            while True:
                claimed = tick(db, NOW, name, limit=25)
                if not claimed:
                    break
                for pid in claimed:
                    with lock:
                        sends[pid] += 1
                    assert prompts.mark_sent(db, pid, name, NOW, pid)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=sweeper, args=(f"w{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(sends) == count and set(sends.values()) == {1}
    states = Counter(p.state for i in (1, count) for p in prompts.for_user(pg_db, i))
    assert states == {"sent": 2}


def test_prune_deletes_only_old_finished_prompts(any_db: Database) -> None:
    make_users(any_db, 1)
    old = NOW - timedelta(days=40)
    ids = {
        state: prompts.add(any_db, 1, f"k_{state}", old, NOW).id
        for state in ("sent", "skipped", "cancelled", "pending", "claimed")
    }
    recent = prompts.add(any_db, 1, "recent", NOW - timedelta(days=1), NOW).id
    with any_db.session() as s:
        for state, pid in ids.items():
            row = s.get(DuePrompt, pid)
            assert row is not None
            row.state = state
            s.add(row)
        done = s.get(DuePrompt, recent)
        assert done is not None
        done.state = "sent"
        s.add(done)
    assert prompts.prune(any_db, NOW - timedelta(days=30), limit=2) == 2
    assert prompts.prune(any_db, NOW - timedelta(days=30)) == 1
    left = {p.kind for p in prompts.for_user(any_db, 1)}
    assert left == {"k_pending", "k_claimed", "recent"}


def test_the_claim_skips_check_ins_answered_early_and_books_the_next(any_db: Database) -> None:
    """The user columns the plan reads say which check-in was answered on which local day
    (issue 24): one answer is enough, an unanswered or other-kind check-in is not."""
    make_users(any_db, 4)
    morning = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # 08:00 UTC on Tuesday
    today = date(2026, 3, 3)
    seed.checkin(any_db, 1, today, "morning", "draft", zone="UTC", need="Quiet")  # answered
    seed.checkin(any_db, 2, today, "morning", "closed", zone="UTC")  # opened, nothing answered
    seed.checkin(any_db, 3, today, "evening", "completed", zone="UTC")  # the other kind
    seed.checkin(any_db, 4, today - timedelta(days=1), "morning", zone="UTC")  # yesterday's
    for user_id in (1, 2, 3, 4):
        prompts.add(any_db, user_id, "morning", morning, NOW)
    seen: dict[int, object] = {}

    def planner(rows: list, users: dict) -> object:  # type: ignore[type-arg]
        seen.update({i: users[i].morning_answered_on for i in users})
        return plan(rows, users, morning)

    claim_tick(any_db, morning, "a", 10, planner)
    assert {i: str(day) if day else None for i, day in seen.items()} == {
        1: "2026-03-03",
        2: None,
        3: None,
        4: "2026-03-02",  # the day before: its prompt is sent
    }
    by_user = {p.user_id: p.state for p in prompts.for_user(any_db, 1) if p.due_at == morning}
    assert by_user == {1: "skipped"}
    assert [p.due_at for p in prompts.pending_for_user(any_db, 1)] == [morning + timedelta(days=1)]
    for user_id in (2, 3, 4):
        states = {p.due_at: p.state for p in prompts.for_user(any_db, user_id)}
        assert states[morning] == "claimed"  # left for sending


def test_due_counts_and_a_claim_ahead_of_time(any_db: Database) -> None:
    """What decides how early a burst begins, and a claim that reaches ahead to it."""
    make_users(any_db, 5)
    soon = NOW + timedelta(minutes=2)
    for user_id in (1, 2, 3):
        prompts.add(any_db, user_id, "snooze", soon, NOW)
    prompts.add(any_db, 4, "snooze", NOW - timedelta(minutes=1), NOW)  # overdue: counted
    prompts.add(any_db, 5, "snooze", NOW + timedelta(minutes=20), NOW)  # beyond the horizon
    counts = claim.due_counts(any_db, NOW, NOW + timedelta(minutes=10))
    assert counts == [(NOW - timedelta(minutes=1), 1), (soon, 3)]

    assert len(tick(any_db, NOW, "a")) == 1  # on time: only the overdue one
    claimed, _ = claim_tick(any_db, NOW, "a", 100, lambda r, u: plan(r, u, NOW), until=soon)
    assert sorted(row["user_id"] for row in claimed) == [1, 2, 3]
    assert claim.due_counts(any_db, NOW, NOW + timedelta(minutes=10)) == []

"""The closeness ladder's store on SQLite and PostgreSQL: drafts and ownership, the ladder in
order, practices between dates, a plan's reminder and follow-up, logging from a plan, and the
person labels practices share with the rest of Steady."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.models import User
from bot.services import people, practice
from bot.store import practice as store
from bot.store import prompts, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def two_users(db: Database) -> None:
    for uid in (1, 2):
        users.ensure(db, uid, uid, f"U{uid}", None, NOW)
        users.update_fields(db, uid, NOW, timezone="Europe/Berlin", onboarded_at=NOW)


def rung(db: Database, uid: int, text: str, expected: int | None, at: datetime = NOW) -> int:
    user = users.get(db, uid)
    assert user is not None
    row = practice.RUNG.start_fresh(db, user, at)
    assert row.id is not None
    practice.RUNG.save(db, uid, row.id, "area", at, "sharing")
    practice.RUNG.save(db, uid, row.id, "text", at, text)
    practice.RUNG.save(db, uid, row.id, "expected", at, expected)
    practice.RUNG.finish(db, uid, row.id, at)
    return row.id


def logged(db: Database, uid: int, at: datetime, **answers: object) -> int:
    user = users.get(db, uid)
    assert user is not None
    row = practice.LOG.start_fresh(db, user, at)
    assert row.id is not None
    for step in practice.LOG.STEPS:
        practice.LOG.save(db, uid, row.id, step, at, answers.get(practice.LOG.column(step)))
    practice.LOG.finish(db, uid, row.id, at)
    return row.id


def test_drafts_answers_and_ownership(any_db: Database) -> None:
    two_users(any_db)
    user = users.get(any_db, 1)
    assert user is not None
    row = practice.LOG.start(any_db, user, NOW)
    assert row.id is not None and row.status == "draft" and row.local_date == date(2026, 3, 2)
    assert practice.LOG.start(any_db, user, NOW).id == row.id  # untouched: reused
    text = "Zoë 🌱 " + "ü" * 4000
    practice.LOG.save(any_db, 1, row.id, "rung", NOW, None)
    practice.LOG.save(any_db, 1, row.id, "before", NOW, 7)
    practice.LOG.save(any_db, 1, row.id, "body", NOW, text)
    stored = store.LOGS.get(any_db, 1, row.id)
    assert stored is not None and (stored.before, stored.body, stored.step) == (7, text, "body")
    assert practice.LOG.has_answers(stored) and practice.LOG.answered(stored) == 6
    assert practice.LOG.next_step(stored.step) == "other_did"
    assert practice.LOG.save(any_db, 2, row.id, "peak", NOW, 3) is None  # another user's id
    assert store.LOGS.get(any_db, 2, row.id) is None
    assert practice.LOG.current(any_db, 2) is None


def test_the_ladder_in_order_and_the_next_rung(any_db: Database) -> None:
    two_users(any_db)
    high = rung(any_db, 1, "Say no kindly", 7)
    low = rung(any_db, 1, "Share a small feeling", 2, NOW + timedelta(minutes=1))
    rung(any_db, 2, "Someone else's", 0)
    assert [r.id for r in practice.ladder(any_db, 1)] == [low, high]
    assert practice.rung(any_db, 2, low) is None  # not theirs
    assert practice.next_rung(any_db, 1).id == low  # type: ignore[union-attr]
    for minutes in (1, 2):
        logged(any_db, 1, NOW + timedelta(minutes=minutes), rung_id=low, before=6, after=2)
    assert practice.next_rung(any_db, 1).id == high  # type: ignore[union-attr]
    rows = practice.progress(any_db, 1)
    assert [(p.tries, p.came_down, p.steady, p.next) for p in rows] == [
        (2, 2, True, False),
        (0, 0, False, True),
    ]
    assert [
        log.local_date
        for log in practice.logs_between(any_db, 1, date(2026, 3, 2), date(2026, 3, 2))
    ] == [date(2026, 3, 2)] * 2
    assert practice.logs_between(any_db, 2, date(2026, 3, 1), date(2026, 3, 9)) == []


def test_a_plan_books_a_reminder_and_a_follow_up_then_logs_once(any_db: Database) -> None:
    two_users(any_db)
    user = users.get(any_db, 1)
    assert user is not None
    rung_id = rung(any_db, 1, "Ask for a hug", 5)
    plan = practice.PLAN.start(any_db, user, NOW)
    assert plan.id is not None
    practice.PLAN.save(any_db, 1, plan.id, "rung", NOW, rung_id)
    practice.PLAN.save(any_db, 1, plan.id, "person", NOW, "Sam")
    at = datetime(2026, 3, 3, 21, 30, tzinfo=UTC)  # 22:30 in Berlin: follow-up the next morning
    practice.plan_when(any_db, 1, plan.id, NOW, "tomorrow 22:30", at)
    booked = practice.book(any_db, user, plan.id, NOW)
    assert booked is not None and booked.status == "completed"
    assert booked.followup_at == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    due = [(p.kind, p.due_at, p.ref_id) for p in prompts.pending_for_user(any_db, 1)]
    assert due == [
        (practice.REMINDER_KIND, at, plan.id),
        (practice.FOLLOWUP_KIND, booked.followup_at, plan.id),
    ]
    assert practice.log_from_plan(any_db, users.get(any_db, 2), plan.id, NOW) is None  # type: ignore[arg-type]
    log = practice.log_from_plan(any_db, user, plan.id, NOW)
    assert log is not None and (log.rung_id, log.person, log.step) == (rung_id, "Sam", "person")
    assert practice.LOG.next_step(log.step) == "before"
    assert practice.open_plan(any_db, 1, plan.id) is None  # logged: nothing more is asked
    assert practice.log_from_plan(any_db, user, plan.id, NOW) is None
    assert not practice.let_go(any_db, 1, plan.id, NOW)


def test_practice_labels_are_one_list_with_the_rest_and_merge(any_db: Database) -> None:
    two_users(any_db)
    log_id = logged(any_db, 1, NOW, person="Sam")
    choices = people.choices(any_db, 1)
    assert choices[0].key == f"p.{log_id}" and choices[0].label == "Sam"
    assert people.resolve(any_db, 1, f"p.{log_id}") == "Sam"
    assert people.resolve(any_db, 2, f"p.{log_id}") is None
    assert people.merge(any_db, 1, "sam", "Samuel", NOW) == 1
    assert store.LOGS.get(any_db, 1, log_id).person == "Samuel"  # type: ignore[union-attr]


def test_a_follow_up_is_kept_clear_of_the_evening_check_in() -> None:
    user = User(
        id=1,
        chat_id=1,
        timezone="Europe/Berlin",
        evening_time="21:00",
        created_at=NOW,
        updated_at=NOW,
    )
    evening = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
    for minutes in (-29, 0, 29):
        moved = practice.clear_of_evening(user, evening + timedelta(minutes=minutes))
        assert moved == evening - timedelta(minutes=30)
    for minutes in (-30, 30, -300):
        at = evening + timedelta(minutes=minutes)
        assert practice.clear_of_evening(user, at) == at

"""Trigger entries, repair plans, people labels and follow-ups on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services import people
from bot.services import repairs as repair_service
from bot.services import triggers as trigger_service
from bot.store import prompts, repairs, triggers, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)


def two_users(db: Database) -> None:
    for uid in (1, 2):
        users.ensure(db, uid, uid, f"U{uid}", None, NOW)
        users.update_fields(db, uid, NOW, timezone="Europe/Berlin", onboarded_at=NOW)


def test_trigger_drafts_answers_and_ownership(any_db: Database) -> None:
    two_users(any_db)
    user = users.get(any_db, 1)
    assert user is not None
    entry = trigger_service.start(any_db, user, NOW)
    assert entry.id is not None and entry.status == "draft" and entry.local_date == DAY
    assert trigger_service.start(any_db, user, NOW).id == entry.id  # untouched: reused

    text = "Zoë 🌱 " + "ü" * 4000
    trigger_service.save(any_db, 1, entry.id, "situation", NOW, situation=text)
    trigger_service.set_choices(any_db, 1, entry.id, "emotions", ["hurt", "anxious"], NOW)
    stored = triggers.get(any_db, 1, entry.id)
    assert stored is not None
    assert (stored.situation, stored.emotions, stored.step) == (
        text,
        ["hurt", "anxious"],
        "situation",
    )

    assert triggers.get(any_db, 2, entry.id) is None  # not user 2's
    assert triggers.update(any_db, 2, entry.id, NOW, situation="hijack") is None
    assert trigger_service.discard(any_db, 2, entry.id, NOW) is False
    assert triggers.get(any_db, 1, entry.id).situation == text  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        triggers.update(any_db, 1, entry.id, NOW, id=2)

    second = trigger_service.start(any_db, user, NOW + timedelta(minutes=1))
    assert second.id != entry.id  # the first has answers now: a new draft
    fresh = trigger_service.start_fresh(any_db, user, NOW + timedelta(minutes=2))
    assert triggers.latest_draft(any_db, 1).id == fresh.id  # type: ignore[union-attr]
    assert triggers.get(any_db, 1, entry.id).status == "closed"  # type: ignore[union-attr]

    done = trigger_service.finish(any_db, 1, fresh.id, NOW)  # type: ignore[arg-type]
    assert done is not None and done.status == "completed" and done.completed_at == NOW
    assert triggers.latest_draft(any_db, 1) is None
    assert [e.id for e in triggers.completed_between(any_db, 1, DAY, DAY)] == [fresh.id]
    assert triggers.completed_between(any_db, 2, DAY, DAY) == []


def test_people_choices_are_the_users_own_then_defaults(any_db: Database) -> None:
    two_users(any_db)
    u1, u2 = users.get(any_db, 1), users.get(any_db, 2)
    assert u1 is not None and u2 is not None
    first = trigger_service.start(any_db, u1, NOW)
    trigger_service.save(any_db, 1, first.id, "person", NOW, person="Anna")  # type: ignore[arg-type]
    plan = repair_service.start(any_db, u1, NOW)
    repair_service.save(any_db, 1, plan.id, "person", NOW, "partner")  # type: ignore[arg-type]
    other = trigger_service.start(any_db, u2, NOW)
    trigger_service.save(any_db, 2, other.id, "person", NOW, person="Secret Sam")  # type: ignore[arg-type]

    choices = people.choices(any_db, 1)
    labels = [c.label for c in choices]
    assert labels[:2] == ["Anna", "partner"]
    assert "Partner" not in labels  # the default already used, in the user's own spelling
    assert "Secret Sam" not in labels and "Mother" in labels
    assert people.resolve(any_db, 1, choices[0].key) == "Anna"
    assert people.resolve(any_db, 1, "v.mother") == "Mother"
    assert people.resolve(any_db, 1, f"t.{other.id}") is None  # user 2's entry
    for junk in ("v.nobody", "t.", "x.1", "t.abc", "r.99999"):
        assert people.resolve(any_db, 1, junk) is None


def test_repair_plans_and_followups(any_db: Database) -> None:
    two_users(any_db)
    user = users.get(any_db, 1)
    assert user is not None
    plan = repair_service.start(any_db, user, NOW)
    assert plan.id is not None
    repair_service.save(any_db, 1, plan.id, "feel_need", NOW, "You never…", advance=False)
    assert repairs.get(any_db, 1, plan.id).step is None  # type: ignore[union-attr]
    repair_service.save(any_db, 1, plan.id, "feel_need", NOW)
    assert repairs.get(any_db, 1, plan.id).feel_need == "You never…"  # type: ignore[union-attr]

    assert repair_service.book_followup(any_db, 1, plan.id, NOW) is None  # not finished yet
    planned = NOW + timedelta(days=1)
    done = repair_service.complete(any_db, user, plan.id, planned, NOW)
    assert done is not None and done.followup_at == planned + timedelta(hours=2)
    assert repair_service.recent_plan(any_db, 1, NOW).id == plan.id  # type: ignore[union-attr]
    assert repair_service.recent_plan(any_db, 1, NOW + timedelta(days=31)) is None
    assert repair_service.recent_plan(any_db, 2, NOW) is None

    assert repair_service.book_followup(any_db, 2, plan.id, NOW) is None  # not user 2's
    due = repair_service.book_followup(any_db, 1, plan.id, NOW)
    assert due == done.followup_at
    assert repair_service.book_followup(any_db, 1, plan.id, NOW) == due  # once only
    (prompt,) = prompts.pending_for_user(any_db, 1, "repair_followup")
    assert (prompt.ref_id, prompt.due_at) == (plan.id, due)

    assert repair_service.followup_plan(any_db, 1, plan.id) is not None
    assert repair_service.followup_plan(any_db, 2, plan.id) is None
    assert repair_service.record_outcome(any_db, 2, plan.id, "badly", NOW) is None
    answered = NOW + timedelta(days=1, hours=3)
    repair_service.record_outcome(any_db, 1, plan.id, "happened", answered)
    assert repair_service.last_answered(any_db, 1).id == plan.id  # type: ignore[union-attr]
    assert repair_service.last_answered(any_db, 2) is None
    repair_service.record_note(any_db, 1, plan.id, "Calm works 🌿", answered)
    stored = repairs.get(any_db, 1, plan.id)
    assert stored is not None
    assert (stored.followup_outcome, stored.followup_note, stored.followup_answered_at) == (
        "happened",
        "Calm works 🌿",
        answered,
    )
    assert repair_service.followup_plan(any_db, 1, plan.id) is None  # nothing more to ask
    assert [p.id for p in repairs.completed_between(any_db, 1, DAY, DAY)] == [plan.id]


def test_declining_and_asking_again(any_db: Database) -> None:
    two_users(any_db)
    user = users.get(any_db, 1)
    assert user is not None
    plan = repair_service.start(any_db, user, NOW)
    assert plan.id is not None
    repair_service.complete(any_db, user, plan.id, None, NOW)
    assert repair_service.decline_followup(any_db, 1, plan.id, NOW)
    assert repairs.get(any_db, 1, plan.id).followup_at is None  # type: ignore[union-attr]
    assert repair_service.book_followup(any_db, 1, plan.id, NOW) is None
    assert not repair_service.decline_followup(any_db, 2, plan.id, NOW)

    again = repair_service.ask_again(any_db, user, plan.id, NOW)
    assert again == datetime(2026, 3, 4, 18, 0, tzinfo=UTC)  # two days on, 19:00 Berlin
    assert repair_service.ask_again(any_db, user, plan.id, NOW) == again  # once only
    assert len(prompts.pending_for_user(any_db, 1, "repair_followup")) == 1


def test_ids_beyond_the_column_range_match_nothing(any_db: Database) -> None:
    two_users(any_db)
    for huge in (0, -1, 2**31, 10**18):
        assert triggers.get(any_db, 1, huge) is None
        assert triggers.update(any_db, 1, huge, NOW, situation="x") is None
        assert repairs.get(any_db, 1, huge) is None
        assert repairs.update(any_db, 1, huge, NOW, impact="x") is None
        assert people.resolve(any_db, 1, f"r.{huge}") is None

"""Moments noticed on SQLite and PostgreSQL: drafts, ownership, people labels shared with the
other features, and the evidence a later thought record or repair plan is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.services import noticed as service
from bot.services import people
from bot.services import triggers as trigger_service
from bot.store import noticed, triggers, users
from bot.store.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def two_users(db: Database) -> None:
    for uid in (1, 2):
        users.ensure(db, uid, uid, f"U{uid}", None, NOW)
        users.update_fields(db, uid, NOW, timezone="Europe/Berlin", onboarded_at=NOW)


def moment(db: Database, uid: int, at: datetime, **answers: str | None) -> int:
    user = users.get(db, uid)
    assert user is not None
    row = service.start_fresh(db, user, at)
    assert row.id is not None
    for step in service.STEPS:
        service.save(db, uid, row.id, step, at, answers.get(step))
    service.finish(db, uid, row.id, at)
    return row.id


def test_drafts_answers_and_ownership(any_db: Database) -> None:
    two_users(any_db)
    user = users.get(any_db, 1)
    assert user is not None
    row = service.start(any_db, user, NOW)
    assert row.id is not None and row.status == "draft" and row.local_date == date(2026, 3, 2)
    assert service.start(any_db, user, NOW).id == row.id  # untouched: reused
    text = "Zoë 🌱 " + "ü" * 4000
    service.save(any_db, 1, row.id, "person", NOW, "Sam")
    service.save(any_db, 1, row.id, "expected", NOW, text)
    stored = noticed.get(any_db, 1, row.id)
    assert stored is not None
    assert (stored.person, stored.expected, stored.step) == ("Sam", text, "expected")
    assert service.answered(stored) == 2 and service.next_step(stored.step) == "actual"
    assert service.current(any_db, 1) is not None and service.current(any_db, 2) is None
    # Another user's id reaches nothing.
    assert service.save(any_db, 2, row.id, "actual", NOW, "forged") is None
    assert noticed.get(any_db, 2, row.id) is None
    fresh = service.start_fresh(any_db, user, NOW)
    assert fresh.id != row.id
    closed = noticed.get(any_db, 1, row.id)
    assert closed is not None and closed.status == "closed"


def test_labels_are_one_list_with_triggers_and_repairs(any_db: Database) -> None:
    two_users(any_db)
    moment_id = moment(any_db, 1, NOW, person="Sam")
    choices = people.choices(any_db, 1)
    assert choices[0].label == "Sam" and choices[0].key == f"n.{moment_id}"
    assert people.resolve(any_db, 1, f"n.{moment_id}") == "Sam"
    assert people.resolve(any_db, 2, f"n.{moment_id}") is None  # not theirs
    assert people.resolve(any_db, 1, "n.99999999999999") is None
    # The same person named on a trigger entry is one button, not two.
    user = users.get(any_db, 1)
    assert user is not None
    entry = trigger_service.start(any_db, user, NOW)
    assert entry.id is not None
    trigger_service.save(any_db, 1, entry.id, "person", NOW, person=" sam ")
    labels = [c.label.casefold() for c in people.choices(any_db, 1)]
    assert labels.count("sam") == 1


def test_evidence_with_the_person_else_the_latest_with_anyone(any_db: Database) -> None:
    two_users(any_db)
    moment(any_db, 1, NOW, person="Sam", expected="Sam would be cold", actual="Sam hugged me")
    moment(any_db, 1, NOW + timedelta(days=1), person="Partner", actual="They asked how I was")
    moment(any_db, 1, NOW + timedelta(days=2), person="Mum")  # nothing to quote: never shown
    moment(any_db, 2, NOW, person="Sam", actual="another user's Sam")

    found = service.evidence(any_db, 1, "SAM")
    assert found is not None and found.same
    assert [m.actual for m in found.moments] == ["Sam hugged me"]
    text = service.evidence_text(found, "SAM") or ""
    assert "moments you noticed with Sam:" in text  # as the moment names them
    assert "Mon 2 Mar, Sam" in text
    assert "The old fear expected: Sam would be cold" in text
    assert "What they actually did: Sam hugged me" in text
    assert "another user's" not in text

    anyone = service.evidence(any_db, 1, "Jo")
    assert anyone is not None and not anyone.same
    assert [m.actual for m in anyone.moments] == ["They asked how I was", "Sam hugged me"]
    assert "moments you noticed recently" in (service.evidence_text(anyone, "Jo") or "")
    assert service.evidence(any_db, 1, None) is not None  # no person named: the latest
    users.ensure(any_db, 3, 3, "U3", None, NOW)
    assert service.evidence(any_db, 3, "Sam") is None
    assert service.evidence_text(None, "Sam") is None


def test_crisis_words_are_never_shown_as_evidence(any_db: Database) -> None:
    two_users(any_db)
    moment(any_db, 1, NOW, person="Sam", expected="I want to kill myself", actual="Sam stayed")
    moment(any_db, 1, NOW, person="Sam", expected="I just want to die")  # nothing else to show
    found = service.evidence(any_db, 1, "Sam")
    assert found is not None and len(found.moments) == 1
    text = service.evidence_text(found, "Sam") or ""
    assert "Sam stayed" in text and "kill" not in text and "die" not in text


def test_merge_relabels_every_feature_and_only_the_users_rows(any_db: Database) -> None:
    two_users(any_db)
    moment(any_db, 1, NOW, person="sam ", actual="Sam came")
    moment(any_db, 2, NOW, person="sam", actual="another user's")
    user = users.get(any_db, 1)
    assert user is not None
    entry = trigger_service.start(any_db, user, NOW)
    assert entry.id is not None
    trigger_service.save(any_db, 1, entry.id, "person", NOW, person="SAM")
    trigger_service.save(any_db, 1, entry.id, "story", NOW, story="kept")
    assert [c.label for c in people.own(any_db, 1)] == ["SAM"]  # one person, however written
    assert people.merge(any_db, 1, "sam", "Samuel", NOW) == 2
    assert [c.label for c in people.own(any_db, 1)] == ["Samuel"]
    stored = triggers.get(any_db, 1, entry.id)
    assert stored is not None and (stored.person, stored.story) == ("Samuel", "kept")
    assert [m.person for m in noticed.completed_recent(any_db, 2)] == ["sam"]  # untouched
    assert people.merge(any_db, 1, "Samuel", " samuel ", NOW) == 0  # the same person
    assert people.rename(any_db, 1, "Samuel", " samuel ", NOW) == 2  # capitals are a rename
    assert [c.label for c in people.own(any_db, 1)] == ["samuel"]
    assert people.rename(any_db, 1, "samuel", "samuel", NOW) == 0  # exactly the same
    assert people.rename(any_db, 1, "samuel", "   ", NOW) == 0  # nothing typed
    assert [m.person for m in noticed.completed_recent(any_db, 2)] == ["sam"]

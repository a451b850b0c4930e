"""The moment read back and person labels compared (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.models import NoticedMoment
from bot.services import noticed
from bot.services.people import same_person

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def moment(**answers: str | None) -> NoticedMoment:
    return NoticedMoment(
        user_id=1, local_date=date(2026, 3, 2), created_at=NOW, updated_at=NOW, **answers
    )


def test_same_person_ignores_case_spaces_and_default_ids() -> None:
    assert same_person("Sam", " sam ")
    assert same_person("my   boss", "My boss")
    assert same_person("partner", "Partner")  # a default's id and its label
    assert not same_person("Sam", "Samantha")
    assert not same_person(None, "Sam") and not same_person("", "")


def test_summary_reads_back_in_the_users_words_without_crisis_language() -> None:
    text = noticed.summary(moment(person="Sam", expected="I want to die", actual="Sam came"))
    assert "Who: Sam" in text and "What they actually did: Sam came" in text
    assert "die" not in text and "The old fear expected" not in text
    assert "You skipped" in noticed.summary(moment())


def test_steps_in_order_and_resuming() -> None:
    assert noticed.next_step(None) == "person"
    assert noticed.next_step("actual") == "meaning"
    assert noticed.next_step("meaning") is None
    assert not noticed.has_answers(moment())
    assert noticed.has_answers(moment(actual="x"))

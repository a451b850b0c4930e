"""The sweep's decision for prompts the user already answered early (issue 24, 6). Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.services.due import Action, decide
from tests.unit.test_timetable import person, row, u

DUE = u(2026, 3, 3, 7)  # Tuesday 08:00 in Berlin


def with_answers(zone: str = "Europe/Berlin", **answered: object) -> SimpleNamespace:
    """A user row as the sweep's query returns it: the settings plus what was answered."""
    user = person(zone)
    fields = {name: getattr(user, name) for name in type(user).model_fields}
    fields.update({"morning_answered_on": None, "evening_answered_on": None, **answered})
    return SimpleNamespace(**fields)


@pytest.mark.parametrize("answered", [date(2026, 3, 3), "2026-03-03"])  # SQLite: ISO text
def test_morning_answered_that_local_day_is_skipped_and_the_next_booked(answered: object) -> None:
    d = decide(row("morning", DUE), with_answers(morning_answered_on=answered), DUE)
    assert d.action is Action.ANSWERED and d.next_due == DUE + timedelta(days=1)


@pytest.mark.parametrize(
    "fields",
    [
        {"morning_answered_on": date(2026, 3, 2)},  # yesterday's
        {"evening_answered_on": date(2026, 3, 3)},  # the other kind
        {},
    ],
)
def test_other_answers_do_not_silence_the_morning(fields: dict[str, object]) -> None:
    assert decide(row("morning", DUE), with_answers(**fields), DUE).action is Action.SEND


def test_the_local_day_is_the_users() -> None:
    # 23:30 UTC on the 2nd is already the 3rd in Auckland.
    due = u(2026, 3, 2, 23, 30)
    user = with_answers("Pacific/Auckland", evening_answered_on=date(2026, 3, 3))
    assert decide(row("evening", due), user, due).action is Action.ANSWERED
    assert decide(row("evening", due), with_answers("UTC"), due).action is Action.SEND


def test_a_snooze_stands_for_its_check_in() -> None:
    snooze = {**row("snooze", DUE), "payload": "morning"}
    user = with_answers(morning_answered_on=date(2026, 3, 3))
    d = decide(snooze, user, DUE)
    assert d.action is Action.ANSWERED and d.next_due is None


@pytest.mark.parametrize(
    ("asked", "action"),
    [
        (DUE - timedelta(minutes=59), Action.ANSWERED),
        (DUE - timedelta(hours=1), Action.SEND),
        (DUE + timedelta(minutes=5), Action.SEND),  # a clock oddity: never silence on it
        (None, Action.SEND),
    ],
)
def test_weekly_after_a_summary_asked_for_within_the_hour(
    asked: datetime | None, action: Action
) -> None:
    user = with_answers(summary_requested_at=asked)
    assert decide(row("weekly", DUE), user, DUE).action is action

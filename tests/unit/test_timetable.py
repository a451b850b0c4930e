"""The timetable with fixed times: what reschedule writes and what the sweep decides."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.models import User
from bot.services import timetable
from bot.services.due import Action, decide, next_due, plan
from bot.store import prompts, users
from bot.store.db import Database
from tests.unit.helpers import u


def person(zone: str, morning: str = "08:00", evening: str = "21:00", **kw: object) -> User:
    fields: dict[str, object] = {
        "id": 1,
        "chat_id": 1,
        "timezone": zone,
        "morning_time": morning,
        "evening_time": evening,
        "onboarded_at": u(2020, 1, 1),
    }
    fields.update(kw)
    return User(**fields)  # type: ignore[arg-type]


# --- next occurrences (kind, zone, local time, after, expected UTC) ------------------------

CASES = [
    # Europe/Berlin 2026-03-29 02:00 CET -> 03:00 CEST: a time in the gap moves forward.
    pytest.param("morning", "Europe/Berlin", "02:30", u(2026, 3, 28, 12), u(2026, 3, 29, 1, 30)),
    pytest.param("morning", "Europe/Berlin", "08:00", u(2026, 3, 28, 12), u(2026, 3, 29, 6)),
    # Europe/Berlin 2026-10-25 03:00 CEST -> 02:00 CET: an ambiguous time takes the first.
    pytest.param("evening", "Europe/Berlin", "02:30", u(2026, 10, 24, 12), u(2026, 10, 25, 0, 30)),
    pytest.param(
        "evening", "Europe/Berlin", "02:30", u(2026, 10, 25, 0, 30), u(2026, 10, 26, 1, 30)
    ),
    # America/New_York 2026-03-08 02:00 EST -> 03:00 EDT, 2026-11-01 02:00 EDT -> 01:00 EST.
    pytest.param("morning", "America/New_York", "02:15", u(2026, 3, 7, 12), u(2026, 3, 8, 7, 15)),
    pytest.param(
        "morning", "America/New_York", "01:30", u(2026, 10, 31, 12), u(2026, 11, 1, 5, 30)
    ),
    pytest.param("morning", "America/New_York", "07:00", u(2026, 11, 1, 5, 30), u(2026, 11, 1, 12)),
    # Odd offsets: +05:30 (India, fixed) and +13:45 (Chatham Islands in summer).
    pytest.param("morning", "Asia/Kolkata", "08:00", u(2026, 3, 2, 0), u(2026, 3, 2, 2, 30)),
    pytest.param("morning", "UTC+05:30", "08:00", u(2026, 3, 2, 3), u(2026, 3, 3, 2, 30)),
    pytest.param("evening", "Pacific/Chatham", "21:00", u(2026, 3, 2, 0), u(2026, 3, 2, 7, 15)),
    # Local midnight: 00:00 belongs to the next local day; 23:59 to this one.
    pytest.param("morning", "Europe/Berlin", "00:00", u(2026, 3, 2, 22, 59), u(2026, 3, 2, 23)),
    pytest.param("morning", "Europe/Berlin", "00:00", u(2026, 3, 2, 23), u(2026, 3, 3, 23)),
    pytest.param("evening", "Asia/Kolkata", "23:59", u(2026, 3, 2, 18, 29), u(2026, 3, 2, 18, 29)),
]


@pytest.mark.parametrize(("kind", "zone", "hhmm", "after", "expected"), CASES)
def test_next_due(kind: str, zone: str, hhmm: str, after: datetime, expected: datetime) -> None:
    user = person(zone, morning=hhmm, evening=hhmm)
    if expected == after:  # "strictly after": the same instant moves a day on
        expected += timedelta(days=1)
    assert next_due(kind, user, after) == expected


def test_weekly_follows_the_users_day_and_zone() -> None:
    user = person("America/New_York", weekly_day=6, weekly_time="19:00")
    # Sunday 2026-03-08 is the first day of EDT: 19:00 EDT = 23:00 UTC.
    assert next_due("weekly", user, u(2026, 3, 2, 9)) == u(2026, 3, 8, 23)


def test_corrupt_zone_and_time_fall_back_to_utc_and_defaults() -> None:
    user = person("Mars/Olympus_Mons", morning="25:99")
    assert next_due("morning", user, u(2026, 3, 2, 9)) == u(2026, 3, 3, 8)
    assert next_due("snooze", user, u(2026, 3, 2, 9)) is None


# --- decisions --------------------------------------------------------------------------------


def row(kind: str, due: datetime, pid: int = 1) -> dict[str, object]:
    return {"id": pid, "user_id": 1, "kind": kind, "due_at": due}


def test_due_prompt_is_sent_and_the_next_written() -> None:
    user = person("Europe/Berlin")
    d = decide(row("morning", u(2026, 3, 3, 7)), user, u(2026, 3, 3, 7, 0, 5))
    assert d.action is Action.SEND and d.next_due == u(2026, 3, 4, 7)


def test_less_than_two_hours_late_is_still_sent() -> None:
    d = decide(row("morning", u(2026, 3, 3, 7)), person("Europe/Berlin"), u(2026, 3, 3, 8, 59))
    assert d.action is Action.SEND and d.next_due == u(2026, 3, 4, 7)


@pytest.mark.parametrize("late", [timedelta(hours=2), timedelta(days=3)])
def test_two_hours_late_or_more_is_skipped(late: timedelta) -> None:
    due = u(2026, 3, 3, 7)
    d = decide(row("morning", due), person("Europe/Berlin"), due + late)
    assert d.action is Action.LATE
    assert d.next_due is not None and d.next_due > due + late  # never in the past


def test_paused_prompt_records_a_rest_day_for_its_local_date() -> None:
    user = person("Pacific/Chatham", paused=True, paused_until=u(2026, 3, 10))
    d = decide(row("evening", u(2026, 3, 2, 7, 15)), user, u(2026, 3, 2, 7, 15))
    assert d.action is Action.PAUSED and d.rest_day == date(2026, 3, 2)
    assert d.next_due == u(2026, 3, 3, 7, 15)


def test_pause_ending_exactly_at_the_due_time_is_over() -> None:
    user = person("UTC", paused=True, paused_until=u(2026, 3, 3, 8))
    assert decide(row("morning", u(2026, 3, 3, 8)), user, u(2026, 3, 3, 8)).action is Action.SEND


def test_inactive_or_unknown_user_gets_nothing_next() -> None:
    gone = person("UTC", active=False)
    d = decide(row("morning", u(2026, 3, 3, 8)), gone, u(2026, 3, 3, 8))
    assert d.action is Action.INACTIVE and d.next_due is None
    assert decide(row("morning", u(2026, 3, 3, 8)), None, u(2026, 3, 3, 8)).next_due is None


def test_snooze_is_not_recurring() -> None:
    d = decide(row("snooze", u(2026, 3, 3, 8)), person("UTC"), u(2026, 3, 3, 8))
    assert d.action is Action.SEND and d.next_due is None


def test_plan_collects_the_writes() -> None:
    user = person("UTC", paused=True, paused_until=None)
    result = plan(
        [row("morning", u(2026, 3, 3, 8), 1), row("weekly", u(2026, 3, 1, 19), 2)],
        {1: user},
        u(2026, 3, 3, 8),
    )
    assert result.skipped_ids == [1, 2]
    assert result.rest_days == [(1, "morning", date(2026, 3, 3), 1)]
    assert [k for _, k, _ in result.next_rows] == ["morning", "weekly"]
    assert result.to_send == []


# --- reschedule writes the timetable ----------------------------------------------------------

NOW = u(2026, 3, 2, 9)


def onboard(db: Database, zone: str = "Europe/Berlin", user_id: int = 1) -> None:
    users.ensure(db, user_id, user_id, "Alex", "en", NOW)
    users.update_fields(db, user_id, NOW, timezone=zone, onboarded_at=NOW)


def pending(db: Database, user_id: int = 1, after: datetime = NOW) -> dict[str, datetime]:
    """The user's future pending prompts (ones already due are the sweep's business)."""
    rows = [r for r in prompts.pending_for_user(db, user_id) if r.due_at > after]
    assert len({r.kind for r in rows}) == len(rows), rows  # one per kind
    return {r.kind: r.due_at for r in rows}


def test_reschedule_writes_morning_evening_weekly(db: Database) -> None:
    onboard(db)
    timetable.reschedule(db, 1, NOW)
    assert pending(db) == {
        "morning": u(2026, 3, 3, 7),
        "evening": u(2026, 3, 2, 20),
        "weekly": u(2026, 3, 8, 18),
    }
    timetable.reschedule(db, 1, NOW)  # idempotent
    assert len(prompts.for_user(db, 1)) == 3


def test_timezone_change_between_two_prompts(db: Database) -> None:
    onboard(db)
    timetable.reschedule(db, 1, NOW)
    later = u(2026, 3, 2, 21)  # after Berlin's evening, before its next morning
    users.update_fields(db, 1, later, timezone="America/New_York")
    timetable.reschedule(db, 1, later)
    assert pending(db, after=later) == {
        "morning": u(2026, 3, 3, 13),  # 08:00 EST
        "evening": u(2026, 3, 3, 2),  # 21:00 EST, still 2 March in New York
        "weekly": u(2026, 3, 8, 23),  # Sunday 19:00 EDT (DST began that morning)
    }
    # Back to Berlin: the cancelled rows are revived rather than duplicated.
    users.update_fields(db, 1, later, timezone="Europe/Berlin")
    timetable.reschedule(db, 1, later)
    assert pending(db, after=later)["morning"] == u(2026, 3, 3, 7)
    # Berlin's morning and weekly rows are revived; only the evening (tomorrow's) is new.
    assert len(prompts.for_user(db, 1)) == 7


def test_reschedule_leaves_an_already_due_prompt_to_the_sweep(db: Database) -> None:
    onboard(db)
    timetable.reschedule(db, 1, NOW)
    at = u(2026, 3, 2, 20, 0, 3)  # the evening prompt is due, the sweep hasn't run yet
    users.update_fields(db, 1, at, morning_time="07:00")
    timetable.reschedule(db, 1, at)
    kinds = sorted((r.kind, r.due_at) for r in prompts.pending_for_user(db, 1))
    assert ("evening", u(2026, 3, 2, 20)) in kinds
    assert ("morning", u(2026, 3, 3, 6)) in kinds


def test_inactive_user_gets_nothing_until_they_return(db: Database) -> None:
    onboard(db)
    timetable.reschedule(db, 1, NOW)
    users.mark_inactive(db, 1, NOW)
    timetable.reschedule(db, 1, NOW)
    assert pending(db) == {}
    users.reactivate(db, 1, NOW)
    timetable.reschedule(db, 1, NOW)
    assert set(pending(db)) == {"morning", "evening", "weekly"}


def test_not_onboarded_user_has_no_timetable(db: Database) -> None:
    users.ensure(db, 5, 5, "Kim", None, NOW)
    timetable.reschedule(db, 5, NOW)
    assert pending(db, 5) == {}
    timetable.reschedule(db, 404, NOW)  # unknown user: nothing happens

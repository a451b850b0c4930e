"""Seed users and their entries straight into the tables (tests and benchmarks).

Every seeder lives in this package: here users, entries and the summary week;
``tests.seed.history`` a long daily history (bulk insert); ``tests.seed.every_table`` one
user with a row in every table and every free-text column filled (export and delete).

Times: each row gets plausible UTC timestamps derived from its local date and the user's
timezone (morning 08:00, evening 21:00 local), so history ordering looks like real use.

``calendar("DS.PC", ...)`` builds a run of days from a pattern, see ``CALENDAR_CODES``;
``seeded_week`` is the week the summary tests read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry, User
from bot.store.db import Database

ONBOARDED = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
KIND_TIMES = {"morning": time(8, 0), "evening": time(21, 0)}

#: Pattern letters for ``calendar``: what happened on one local day.
CALENDAR_CODES = {
    "D": (("morning", "completed"),),  # done (one completed check-in)
    "B": (("morning", "completed"), ("evening", "completed")),  # both done
    "E": (("evening", "completed"),),  # evening done only
    "S": (("morning", "skipped"), ("evening", "skipped")),  # "Skip today"
    "P": (("morning", "paused"), ("evening", "paused")),  # paused
    "C": (("morning", "closed"), ("evening", "closed")),  # prompts left unanswered
    "d": (("morning", "draft"),),  # started, not finished
    ".": (),  # nothing at all
}


def at_local(day: date, clock: time, zone: str) -> datetime:
    """The UTC instant of local ``clock`` on ``day`` in ``zone``."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def user(
    db: Database,
    user_id: int = 1001,
    *,
    zone: str = "Europe/Berlin",
    onboarded_at: datetime | None = ONBOARDED,
    first_name: str = "Alex",
    **fields: Any,
) -> User:
    return db.add(
        User(
            id=user_id,
            chat_id=user_id,
            first_name=first_name,
            timezone=zone,
            onboarded_at=onboarded_at,
            consent_at=onboarded_at,
            notice_version="1",
            created_at=onboarded_at or ONBOARDED,
            updated_at=onboarded_at or ONBOARDED,
            **fields,
        )
    )


def stamp(day: date, kind: str, zone: str) -> datetime:
    return at_local(day, KIND_TIMES.get(kind, time(12, 0)), zone)


def _written(status: str, at: datetime, minutes: int) -> dict[str, datetime | None]:
    """A row's ``updated_at`` / ``completed_at`` when it took ``minutes`` from ``at``."""
    done = at + timedelta(minutes=minutes)
    return {"updated_at": done, "completed_at": done if status == "completed" else None}


def checkin_row(
    user_id: int,
    day: date,
    kind: str = "morning",
    status: str = "completed",
    *,
    zone: str = "Europe/Berlin",
    emotions: Sequence[str] = (),
    intensity: int | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> CheckIn:
    started = at or stamp(day, kind, zone)
    return CheckIn(
        user_id=user_id,
        kind=kind,
        local_date=day,
        status=status,
        started_at=started,
        **_written(status, started, 3),
        emotions=list(emotions),
        intensity=intensity,
        **fields,
    )


def checkin(db: Database, user_id: int, day: date, *args: Any, **kwargs: Any) -> CheckIn:
    """One check-in (see ``checkin_row`` for the arguments)."""
    return _add(db, [checkin_row(user_id, day, *args, **kwargs)])[0]


def _add(db: Database, rows: Sequence[Any]) -> list[Any]:
    with db.session() as s:
        s.add_all(rows)
        s.flush()
        return list(rows)


def calendar(
    db: Database, user_id: int, start: date, pattern: str, *, zone: str = "Europe/Berlin"
) -> date:
    """One day per pattern letter from ``start``; returns the last day (``today`` in tests)."""
    _add(
        db,
        [
            checkin_row(user_id, start + timedelta(days=offset), kind, status, zone=zone)
            for offset, code in enumerate(pattern)
            for kind, status in CALENDAR_CODES[code]
        ],
    )
    return start + timedelta(days=len(pattern) - 1)


def commitment(
    db: Database,
    user_id: int,
    day: date,
    outcome: str | None = None,
    *,
    text: str | None = "Ask for support once",
    zone: str = "Europe/Berlin",
    **fields: Any,
) -> Commitment:
    return commitments(db, user_id, {day: outcome}, text=text, zone=zone, **fields)[0]


def commitments(
    db: Database,
    user_id: int,
    outcomes: dict[date, str | None],
    *,
    text: str | None = "Ask for support once",
    zone: str = "Europe/Berlin",
    **fields: Any,
) -> list[Commitment]:
    """One commitment per day, with its outcome (``yes | partly | no`` or None)."""
    return _add(
        db,
        [
            Commitment(
                user_id=user_id,
                local_date=day,
                text=text,
                outcome=outcome,
                created_at=stamp(day, "morning", zone),
                resolved_at=None if outcome is None else stamp(day, "evening", zone),
                **fields,
            )
            for day, outcome in outcomes.items()
        ],
    )


def trigger(
    db: Database,
    user_id: int,
    day: date,
    *,
    status: str = "completed",
    person: str | None = "partner",
    context: str | None = "texting",
    emotions: Sequence[str] = ("anxious",),
    distortions: Sequence[str] = (),
    before: int | None = 7,
    after: int | None = 4,
    zone: str = "Europe/Berlin",
    at: datetime | None = None,
    **fields: Any,
) -> TriggerEntry:
    created = at or at_local(day, time(15, 0), zone)
    return db.add(
        TriggerEntry(
            user_id=user_id,
            local_date=day,
            status=status,
            created_at=created,
            **_written(status, created, 10),
            person=person,
            context=context,
            emotions=list(emotions),
            distortions=list(distortions),
            intensity_before=before,
            intensity_after=after,
            **fields,
        )
    )


def repair(
    db: Database,
    user_id: int,
    day: date,
    *,
    status: str = "completed",
    person: str | None = "partner",
    outcome: str | None = None,
    zone: str = "Europe/Berlin",
    at: datetime | None = None,
    **fields: Any,
) -> RepairPlan:
    created = at or at_local(day, time(18, 0), zone)
    return db.add(
        RepairPlan(
            user_id=user_id,
            local_date=day,
            status=status,
            created_at=created,
            **_written(status, created, 10),
            person=person,
            followup_at=created + timedelta(days=1),
            followup_outcome=outcome,
            followup_answered_at=None if outcome is None else created + timedelta(days=1),
            **fields,
        )
    )


# --- a seeded week (summary tests, e2e, benchmark sanity) ------------------------------------

WEEK_START = date(2026, 3, 2)  # Monday
WEEK_END = date(2026, 3, 8)  # Sunday
#: Sunday 8 March 2026, 19:00 in Berlin (CET): the default weekly slot.
WEEK_NOW = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)


def seeded_week(db: Database, user_id: int = 1001, *, with_user: bool = True) -> None:
    """The week every summary test reads (see tests/unit/test_summary_text.py for the text).

    Older history: 20 done days in January (the best streak), then a full previous week with
    intensities 6 (mornings) and 7 (evenings). This week: Wednesday skipped ("Skip today"),
    Thursday's evening left unanswered, Sunday's evening not due yet at 19:00; three triggers,
    two repair plans (one followed up) and a draft, six commitments.
    """
    if with_user:
        user(db, user_id)
    calendar(db, user_id, date(2026, 1, 5), "D" * 20)
    for offset in range(7):
        day = date(2026, 2, 23) + timedelta(days=offset)
        checkin(db, user_id, day, "morning", intensity=6)
        checkin(db, user_id, day, "evening", intensity=7)
    week = [
        # (morning, evening): (status, emotions, intensity) or None
        (("completed", ["anxious", "hopeful"], 6), ("completed", [], 4)),
        (("completed", ["anxious"], 7), ("completed", ["calm"], 3)),
        (("skipped", [], None), ("skipped", [], None)),
        (("completed", ["lonely", "anxious"], 8), ("closed", [], None)),
        (("completed", ["hopeful"], 5), ("completed", [], 4)),
        (("completed", ["calm"], 3), ("completed", [], 2)),
        (("completed", ["hopeful"], 4), None),
    ]
    for offset, (morning, evening) in enumerate(week):
        day = WEEK_START + timedelta(days=offset)
        for kind, spec in (("morning", morning), ("evening", evening)):
            if spec is not None:
                status, emotions, intensity = spec
                checkin(db, user_id, day, kind, status, emotions=emotions, intensity=intensity)
    tue, thu, fri, sat = (WEEK_START + timedelta(days=n) for n in (1, 3, 4, 5))
    trigger(db, user_id, tue, person="partner", context="texting",
            distortions=["mind_reading", "catastrophizing"], before=8, after=4)  # fmt: skip
    trigger(db, user_id, thu, person="partner", context="home",
            emotions=["rejected"], distortions=["mind_reading"], before=6, after=3)  # fmt: skip
    trigger(db, user_id, sat, person="Mum", context="texting", before=7, after=5)
    repair(db, user_id, tue, outcome="happened")
    repair(db, user_id, fri)
    repair(db, user_id, sat, status="draft", person=None)
    for offset, outcome in enumerate(["yes", "yes", None, "no", "partly", "yes", None]):
        if offset != 2:  # no commitment on the skipped Wednesday
            commitment(db, user_id, WEEK_START + timedelta(days=offset), outcome)

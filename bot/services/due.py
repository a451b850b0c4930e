"""What the sweep does with each due prompt it claimed. Pure: no I/O, no clock.

For every claimed prompt ``decide`` says whether to send it, or to skip it (the bot was down
for 2 hours or more, the user is paused, the user blocked the bot, or the user already did
what it asks: that day's check-in answered early, or /summary asked for within the hour), and
when the next occurrence of a recurring kind falls. ``plan`` does that for a whole batch and
collects the writes the sweep makes in the claiming transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

from bot.services.parse.times import TimezoneInputError, parse_time, zone_for
from bot.services.schedule import is_paused, local_date, next_daily, next_weekly

#: A prompt found this late (the bot was down) is skipped and the next one scheduled.
LATE_LIMIT = timedelta(hours=2)
#: A prompt sent this late says so, gently.
LATE_NOTE = timedelta(minutes=15)
#: A weekly summary is not sent when the user asked for one (/summary) this recently.
SUMMARY_ASKED_RECENTLY = timedelta(hours=1)

MORNING, EVENING, WEEKLY, SNOOZE = "morning", "evening", "weekly", "snooze"
RECURRING = (MORNING, EVENING, WEEKLY)
CHECKIN_KINDS = (MORNING, EVENING)


class Action(StrEnum):
    SEND = "send"
    LATE = "late"  # 2 hours or more late: skipped
    PAUSED = "paused"  # due while the user is paused: skipped, a rest day recorded
    INACTIVE = "inactive"  # the user blocked the bot (or is gone): skipped, nothing next
    ANSWERED = "answered"  # already done early (the check-in, /summary): skipped, next booked


@dataclass(frozen=True, slots=True)
class Decision:
    prompt_id: int
    user_id: int
    kind: str
    action: Action
    next_due: datetime | None = None
    rest_day: date | None = None  # local date of a paused check-in


@dataclass
class Plan:
    """The writes one tick makes while it holds its claim, and what is left to send."""

    decisions: list[Decision] = field(default_factory=list)
    next_rows: list[tuple[int, str, datetime]] = field(default_factory=list)
    skipped_ids: list[int] = field(default_factory=list)
    rest_days: list[tuple[int, str, date, int]] = field(default_factory=list)  # user,kind,day,id

    @property
    def to_send(self) -> list[Decision]:
        return [d for d in self.decisions if d.action is Action.SEND]

    def count(self, action: Action) -> int:
        return sum(1 for d in self.decisions if d.action is action)


class Slots(Protocol):
    """What decides a user's prompts: a User, or a row with these columns."""

    id: int
    timezone: str
    morning_time: str
    evening_time: str
    weekly_day: int
    weekly_time: str
    paused: bool
    paused_until: datetime | None
    active: bool

    @property
    def onboarded_at(self) -> object:
        """Truthy once onboarded (a datetime, or a flag from a query)."""

    # Also read when present (the sweep's query has them; a User has the first):
    # ``summary_requested_at`` and ``morning_answered_on`` / ``evening_answered_on``, the
    # latest local day with that check-in answered (a date, or ISO text from SQLite).


@lru_cache(maxsize=1024)
def safe_zone(name: str) -> str:
    """The user's zone name, or "UTC" when the stored value no longer parses."""
    try:
        zone_for(name)
    except (TimezoneInputError, ValueError):
        return "UTC"
    return name


def safe_time(value: str, default: str) -> time:
    try:
        return parse_time(value)
    except ValueError:
        return parse_time(default)


@lru_cache(maxsize=4096)
def _next_cached(kind: str, hhmm: str, weekday: int, zone: str, after: datetime) -> datetime:
    if kind == WEEKLY:
        return next_weekly(weekday, safe_time(hhmm, "19:00"), zone, after)
    return next_daily(safe_time(hhmm, "08:00" if kind == MORNING else "21:00"), zone, after)


def next_due(kind: str, user: Slots, after: datetime) -> datetime | None:
    """The next occurrence of a recurring ``kind`` for ``user`` strictly after ``after``.

    Users sharing a zone and a time share the answer (cached), which keeps a busy tick cheap.
    """
    zone = safe_zone(user.timezone)
    if kind == MORNING:
        return _next_cached(kind, user.morning_time, 0, zone, after)
    if kind == EVENING:
        return _next_cached(kind, user.evening_time, 0, zone, after)
    if kind == WEEKLY:
        day = user.weekly_day if 0 <= user.weekly_day <= 6 else 6
        return _next_cached(kind, user.weekly_time, day, zone, after)
    return None


#: A burst of prompts starts at most this long before its time (issue 18).
MAX_LEAD = timedelta(minutes=10)
#: A burst that takes no longer than this to send goes out on time.
SMALL_BURST = timedelta(seconds=10)


def send_ahead_until(
    now: datetime, due_counts: Sequence[tuple[datetime, int]], rate: float
) -> datetime:
    """The latest due time a sweep at ``now`` may send ahead to, so that a burst is centred
    on its time: N prompts due at T, sent ``rate`` a second, take N/rate to send; begun N/(2 ×
    rate) early, nobody's arrives more than N/(2 × rate) from their chosen time.

    ``due_counts``: the prompts waiting to be sent, as (due time, how many) in due order, up
    to ``now + MAX_LEAD`` (those already due included: a backlog moves the start earlier). A
    prompt due at ``d`` may go now when everything due up to ``d`` takes at least twice the
    time left until ``d`` to send; once a burst has begun this stays true until it is sent.
    Bursts of at most ``SMALL_BURST`` of sending, and ``rate <= 0`` (no pace), go on time."""
    if rate <= 0:
        return now
    small, reach = rate * SMALL_BURST.total_seconds(), MAX_LEAD.total_seconds()
    waiting, until = 0, now
    for due, count in due_counts:
        waiting += count
        ahead = (due - now).total_seconds()
        if 0 < ahead <= reach and waiting > small and waiting >= 2 * rate * ahead:
            until = due
    return until


def is_late(due_at: datetime, now: datetime) -> bool:
    """Late enough to mention it when sending (but still sent)."""
    return now - due_at >= LATE_NOTE


def _as_day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def already_answered(prompt: Mapping[str, Any], user: Slots, now: datetime) -> bool:
    """The user did early what the prompt asks: that local day's check-in of its kind has an
    answer (a snooze stands for the check-in it snoozed), or a weekly summary was asked for
    within the hour."""
    kind = prompt["kind"]
    if kind == WEEKLY:
        asked = getattr(user, "summary_requested_at", None)
        return asked is not None and timedelta(0) <= now - asked < SUMMARY_ASKED_RECENTLY
    if kind == SNOOZE:
        kind = prompt.get("payload")
    if kind not in CHECKIN_KINDS:
        return False
    answered_on = _as_day(getattr(user, f"{kind}_answered_on", None))
    return answered_on is not None and answered_on == local_date(
        safe_zone(user.timezone), prompt["due_at"]
    )


def decide(prompt: Mapping[str, Any], user: Slots | None, now: datetime) -> Decision:
    """What to do with one claimed prompt (a row mapping: id, user_id, kind, due_at and,
    for a snooze, payload)."""
    pid, uid, kind, due = prompt["id"], prompt["user_id"], prompt["kind"], prompt["due_at"]
    if user is None or not user.active or not user.onboarded_at:
        return Decision(pid, uid, kind, Action.INACTIVE)
    following = next_due(kind, user, max(now, due)) if kind in RECURRING else None
    if is_paused(user.paused, user.paused_until, now):
        rest = local_date(safe_zone(user.timezone), due) if kind in CHECKIN_KINDS else None
        return Decision(pid, uid, kind, Action.PAUSED, following, rest)
    if now - due >= LATE_LIMIT:
        return Decision(pid, uid, kind, Action.LATE, following)
    if already_answered(prompt, user, now):
        return Decision(pid, uid, kind, Action.ANSWERED, following)
    return Decision(pid, uid, kind, Action.SEND, following)


def plan(prompts: Sequence[Mapping[str, Any]], users: Mapping[int, Slots], now: datetime) -> Plan:
    """Decide a whole claimed batch and gather the writes that go with it."""
    result = Plan()
    for prompt in prompts:
        decision = decide(prompt, users.get(prompt["user_id"]), now)
        result.decisions.append(decision)
        if decision.next_due is not None:
            result.next_rows.append((decision.user_id, decision.kind, decision.next_due))
        if decision.action is not Action.SEND:
            result.skipped_ids.append(decision.prompt_id)
        if decision.rest_day is not None:
            result.rest_days.append(
                (decision.user_id, decision.kind, decision.rest_day, decision.prompt_id)
            )
    return result

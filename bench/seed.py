"""Seed PostgreSQL with many users and modest, realistic histories (psycopg COPY).

Every user is onboarded; 5% are inactive (blocked the bot), 3% paused. Active, unpaused users
have their three pending prompts (morning, evening, weekly), all due after ``pending_after``.
``history_share`` of the users (default 10%) have ``days`` (default 30) days of history:
sent prompts, morning/evening check-ins (most completed), commitments, a trigger every few
days, a repair plan now and then. 0.5% of users have a conversation open (persistence rows).
"""

from __future__ import annotations

import json
import random
import time as clock
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy.engine import make_url

from bot.services import vocab
from bot.services.schedule import next_daily, next_weekly

BASE_ID = 100_000_000
ZONES = (  # (zone, weight): where a product like this has its users, roughly
    ("Europe/Berlin", 15), ("America/New_York", 12), ("Europe/London", 10),
    ("America/Los_Angeles", 8), ("Asia/Kolkata", 8), ("America/Sao_Paulo", 5),
    ("Europe/Moscow", 5), ("Asia/Tokyo", 5), ("UTC", 5), ("America/Chicago", 5),
    ("Europe/Paris", 5), ("Australia/Sydney", 4), ("Asia/Singapore", 4),
    ("Africa/Lagos", 3), ("Asia/Kathmandu", 1),
)  # fmt: skip
MORNINGS = [f"{h:02d}:{m:02d}" for h in range(6, 10) for m in (0, 15, 30, 45)]
EVENINGS = [f"{h:02d}:{m:02d}" for h in range(19, 23) for m in (0, 15, 30, 45)]
USER_COLUMNS = (
    "id, chat_id, first_name, language_code, timezone, morning_time, evening_time, weekly_day, "
    "weekly_time, paused, paused_until, active, onboarded_at, consent_at, notice_version, "
    "created_at, updated_at"
)
PROMPT_COLUMNS = "user_id, kind, due_at, state, attempts, sent_at, message_id, created_at"
CHECKIN_COLUMNS = (
    "user_id, kind, local_date, status, started_at, updated_at, completed_at, emotions, "
    "intensity, need, interactions, triggered, repair, commitment_kept, lesson"
)
COMMITMENT_COLUMNS = "user_id, local_date, text, suggestion_id, outcome, created_at, resolved_at"
TRIGGER_COLUMNS = (
    "user_id, local_date, status, created_at, updated_at, completed_at, situation, emotions, "
    "intensity_before, story, distortions, balanced, action_id, intensity_after, person"
)
REPAIR_COLUMNS = (
    "user_id, local_date, status, created_at, updated_at, completed_at, person, what_happened, "
    "next_step, followup_at, followup_outcome"
)
STATE_COLUMNS = "name, key, user_id, state, updated_at"


def _naive(value: datetime) -> datetime:
    """UTCDateTime columns hold naive UTC."""
    return value.astimezone(UTC).replace(tzinfo=None)


@cache
def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@lru_cache(maxsize=100_000)
def _at(day: date, hhmm: str, zone: str) -> datetime:
    local = datetime.combine(day, _hhmm(hhmm), tzinfo=ZoneInfo(zone))
    return _naive(local)


@lru_cache(maxsize=100_000)
def _next(kind: str, hhmm: str, zone: str, weekday: int, after: datetime) -> datetime:
    if kind == "weekly":
        return _naive(next_weekly(weekday, _hhmm(hhmm), zone, after))
    return _naive(next_daily(_hhmm(hhmm), zone, after))


@dataclass
class Seeded:
    users: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class Person:
    id: int
    zone: str
    morning: str
    evening: str
    weekly_day: int
    weekly: str
    active: bool
    paused: bool
    history: bool


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _people(users: int, history_share: float, rng: random.Random) -> Iterator[Person]:
    zones = [z for z, _ in ZONES]
    weights = [w for _, w in ZONES]
    every = max(1, round(1 / history_share)) if history_share > 0 else 0
    for i in range(users):
        defaults = rng.random() < 0.5
        yield Person(
            id=BASE_ID + i,
            zone=rng.choices(zones, weights)[0],
            morning="08:00" if defaults else rng.choice(MORNINGS),
            evening="21:00" if defaults else rng.choice(EVENINGS),
            weekly_day=6 if rng.random() < 0.8 else rng.randrange(7),
            weekly="19:00",
            active=rng.random() >= 0.05,
            paused=rng.random() < 0.03,
            history=bool(every) and i % every == 0,
        )


class _Copies:
    """One connection and one open COPY per table, so one pass can write every table."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stack = ExitStack()
        self.open: dict[str, tuple[psycopg.Connection[Any], Any]] = {}
        self.rows: dict[str, int] = {}

    def row(self, table: str, columns: str, values: tuple[Any, ...]) -> None:
        if table not in self.open:
            conn = self.stack.enter_context(psycopg.connect(conninfo(self.url)))
            cur = self.stack.enter_context(conn.cursor())
            copy = self.stack.enter_context(cur.copy(f"COPY {table} ({columns}) FROM STDIN"))
            self.open[table] = (conn, copy)
        self.open[table][1].write_row(values)
        self.rows[table] = self.rows.get(table, 0) + 1

    def commit(self) -> None:
        """End every COPY; each connection commits as its context closes."""
        self.stack.close()
        self.stack = ExitStack()
        self.open.clear()


def seed(
    url: str,
    users: int,
    now: datetime,
    *,
    history_share: float = 0.1,
    days: int = 30,
    pending_after: datetime | None = None,
    rng_seed: int = 42,
) -> Seeded:
    """Seed ``users`` users; histories end the day before ``now`` (aware UTC)."""
    from bench.history import write_history

    started = clock.perf_counter()
    rng = random.Random(rng_seed)
    after = pending_after or now
    people = list(_people(users, history_share, rng))
    out = _Copies(url)
    for p in people:  # users first and committed: the other tables refer to them
        out.row("users", USER_COLUMNS, _user_row(p, now, rng))
    out.commit()
    created = _naive(now)
    for p in people:
        if p.active and not p.paused:
            for kind, hhmm, day in (
                ("morning", p.morning, 0),
                ("evening", p.evening, 0),
                ("weekly", p.weekly, p.weekly_day),
            ):
                due = _next(kind, hhmm, p.zone, day, after)
                out.row("due_prompts", PROMPT_COLUMNS, (p.id, kind, due, "pending", 0, None,
                                                        None, created))  # fmt: skip
        if p.history:
            write_history(out, p, now, days, rng)
        if rng.random() < 0.005:
            name = "checkin" if rng.random() < 0.8 else "onboarding"
            key = json.dumps([p.id, p.id], separators=(",", ":"))
            state = (name, key, p.id, json.dumps("emotion"), created)
            out.row("conversation_states", STATE_COLUMNS, state)
    out.commit()
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("ANALYZE")
    return Seeded(users, dict(out.rows), clock.perf_counter() - started)


def _user_row(p: Person, now: datetime, rng: random.Random) -> tuple[Any, ...]:
    joined = _naive(now - timedelta(days=rng.randrange(1, 400)))
    paused_until = _naive(now + timedelta(days=rng.randrange(1, 14))) if p.paused else None
    return (p.id, p.id, f"User{p.id % 10_000}", "en", p.zone, p.morning, p.evening,
            p.weekly_day, p.weekly, p.paused, paused_until, p.active, joined, joined, "1",
            joined, joined)  # fmt: skip


def emotion_ids() -> list[str]:
    return [w.id for f in vocab.emotion_families() for w in f.words]

"""Onboarding and settings: what changes when a user sets a time, a zone, or pauses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.content import i18n, t
from bot.models import User
from bot.services import timetable
from bot.services.parse.times import describe_zone, format_time, zone_for
from bot.store import users
from bot.store.db import Database

DEFAULT_MORNING = "08:00"
DEFAULT_EVENING = "21:00"
DEFAULT_WEEKLY = (6, "19:00")
MAX_PAUSE_DAYS = 365


def language(user: User) -> str:
    """The language the user is spoken to in: their /language choice, else Telegram's."""
    if user.language in i18n.LANGUAGES:
        return str(user.language)
    return i18n.resolve(user.language_code)


def set_language(db: Database, user: User, lang: str, now: datetime) -> User:
    """Speak ``lang`` to the user from now on (scheduled prompts and summaries too)."""
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"not a language Steady speaks: {lang!r}")
    return users.update_fields(db, user.id, now, language=lang) or user


def is_onboarded(user: User | None) -> bool:
    return user is not None and user.onboarded_at is not None


def weekly_label(day: int, hhmm: str) -> str:
    """ "Sundays at 19:00" (the weekday's name from CLDR, in the current language)."""
    return t("settings.weekly_slot", day=i18n.weekday(day), time=hhmm)


def is_paused(user: User, now: datetime) -> bool:
    return user.paused and (user.paused_until is None or user.paused_until > now)


def pause_label(user: User, now: datetime) -> str:
    if not is_paused(user, now):
        return t("settings.active")
    if user.paused_until is None:
        return t("settings.paused_forever")
    local = user.paused_until.astimezone(zone_for_safe(user.timezone))
    return t("settings.paused_until", until=i18n.moment(local))


def zone_for_safe(name: str) -> tzinfo:
    """The user's zone; stored data that no longer parses falls back to UTC."""
    try:
        return zone_for(name)
    except ValueError:
        return zone_for("UTC")


def local_today(user: User, now: datetime) -> date:
    """The date it is for the user at ``now``, in their zone."""
    return now.astimezone(zone_for_safe(user.timezone)).date()


@dataclass(frozen=True)
class SettingsView:
    zone: str
    morning: str
    evening: str
    weekly: str
    pause: str
    language: str

    def text(self) -> str:
        return t("settings.view", **self.__dict__)


def settings_view(user: User, now: datetime) -> SettingsView:
    try:
        zone = describe_zone(user.timezone, now)
    except ValueError:
        zone = user.timezone
    return SettingsView(
        zone=zone,
        morning=user.morning_time,
        evening=user.evening_time,
        weekly=weekly_label(user.weekly_day, user.weekly_time),
        pause=pause_label(user, now),
        language=i18n.language_name(language(user)),
    )


def record_consent(db: Database, user_id: int, now: datetime) -> None:
    users.update_fields(
        db, user_id, now, consent_at=now, notice_version=t("onboarding.notice_version")
    )


def complete_onboarding(
    db: Database, user_id: int, now: datetime, evening: time | None = None
) -> User | None:
    """Onboarding done (with the evening time, its last answer, in the same statement)."""
    fields: dict[str, object] = {"onboarded_at": now}
    if evening is not None:
        fields["evening_time"] = format_time(evening)
    user = users.update_fields(db, user_id, now, **fields)
    timetable.reschedule(db, user_id, now, user)
    return user


def _set(db: Database, user_id: int, now: datetime, **fields: object) -> User | None:
    user = users.update_fields(db, user_id, now, **fields)
    if user is not None and user.onboarded_at is not None:
        timetable.reschedule(db, user_id, now, user)
    return user


def set_timezone(db: Database, user_id: int, zone: str, now: datetime) -> User | None:
    return _set(db, user_id, now, timezone=zone)


def set_morning(db: Database, user_id: int, value: time, now: datetime) -> User | None:
    return _set(db, user_id, now, morning_time=format_time(value))


def set_evening(db: Database, user_id: int, value: time, now: datetime) -> User | None:
    return _set(db, user_id, now, evening_time=format_time(value))


def set_weekly(db: Database, user_id: int, day: int, value: time, now: datetime) -> User | None:
    return _set(db, user_id, now, weekly_day=day, weekly_time=format_time(value))


def parse_pause_days(arg: str) -> int:
    """Days for /pause N; ValueError unless a whole number from 1 to 365."""
    days = int(arg.strip())
    if not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValueError("pause days out of range")
    return days


def pause(db: Database, user_id: int, days: int | None, now: datetime) -> User | None:
    until = now + timedelta(days=days) if days else None
    return _set(db, user_id, now, paused=True, paused_until=until)


def resume(db: Database, user_id: int, now: datetime) -> User | None:
    return _set(db, user_id, now, paused=False, paused_until=None)

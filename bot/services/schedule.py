"""When does the next prompt fire? Pure calendar arithmetic over user time zones.

All instants going in must be timezone-aware; all instants coming out are aware UTC.
Zone names are those produced by ``bot.services.parse.times.parse_timezone``; a corrupt
name raises ``TimezoneInputError`` (callers may fall back to "UTC").

DST rules for a wall-clock time on a given local day:

* it falls in a spring-forward gap -> it moves forward by the length of the gap
  (02:30 Europe/Berlin on 2024-03-31 -> 03:30 CEST = 01:30 UTC);
* it is ambiguous (autumn overlap) -> the first occurrence (fold=0) is used and the
  repeat is never scheduled.

Both rules are exactly PEP 495 semantics of ``fold=0``, which is what we rely on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.services.parse.times import zone_for

__all__ = ["is_paused", "local_date", "local_day_bounds", "next_daily", "next_weekly"]

# Candidate local days examined: the day before ``after``'s local date (a gap shift can
# push it past midnight) through two weeks later (room for a weekday filter plus slack).
_SEARCH_DAYS = range(-1, 15)


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")


def _occurrence(day: date, local: time, tzname: str) -> datetime:
    """The UTC instant at which wall-clock ``local`` happens on local ``day`` (fold=0)."""
    wall = datetime.combine(day, local.replace(tzinfo=None, fold=0), tzinfo=zone_for(tzname))
    return wall.astimezone(UTC)


def _next_occurrence(local: time, tzname: str, after: datetime, weekday: int | None) -> datetime:
    _require_aware(after, "after")
    start = local_date(tzname, after)
    for offset in _SEARCH_DAYS:
        day = start + timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        candidate = _occurrence(day, local, tzname)
        if candidate > after:
            return candidate
    raise AssertionError("no occurrence found within the search window")  # unreachable


def next_daily(local: time, tzname: str, after: datetime) -> datetime:
    """First instant strictly after ``after`` whose wall-clock time in ``tzname`` is ``local``."""
    return _next_occurrence(local, tzname, after, weekday=None)


def next_weekly(weekday: int, local: time, tzname: str, after: datetime) -> datetime:
    """Like :func:`next_daily`, restricted to local ``weekday`` (Monday=0 .. Sunday=6)."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0..6, got {weekday!r}")
    return _next_occurrence(local, tzname, after, weekday=weekday)


def local_date(tzname: str, instant: datetime) -> date:
    """The calendar date in zone ``tzname`` at ``instant`` (aware)."""
    _require_aware(instant, "instant")
    return instant.astimezone(zone_for(tzname)).date()


def local_day_bounds(tzname: str, day: date) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of local ``day``; 23 or 25 hours long on DST change days."""
    midnight = time(0, 0)
    return _occurrence(day, midnight, tzname), _occurrence(
        day + timedelta(days=1), midnight, tzname
    )


def is_paused(paused: bool, paused_until: datetime | None, now: datetime) -> bool:
    """Paused with no end, or with an end still in the future (an end equal to ``now`` is over)."""
    if not paused:
        return False
    if paused_until is None:
        return True
    _require_aware(now, "now")
    _require_aware(paused_until, "paused_until")
    return now < paused_until

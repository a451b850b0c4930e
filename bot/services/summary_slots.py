"""The summary's check-ins per slot (a day's morning and evening) and its chart points.

Check-ins "possible": a (day, morning|evening) slot counts once its local time has passed since
the user was onboarded, unless the day was a rest day ("Skip today", paused) — and it always
counts when it was done. So a summary sent Sunday 19:00 does not count Sunday's evening yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from bot.charts import ChartDay
from bot.models import User
from bot.services.profile import zone_for_safe
from bot.store import summary as store

if TYPE_CHECKING:
    from bot.services.summary import Period


def _clock(hhmm: str, default: time) -> time:
    try:
        hours, minutes = hhmm.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class Slot:
    done: bool
    partly: bool  # done, but not finished
    possible: bool
    intensity: float | None


def slots(
    user: User, period: Period, rows: Iterable[store.CheckinDay], now: datetime
) -> list[tuple[date, Slot, Slot]]:
    """Each day of the period with its morning and evening: done, possible (see the module
    docstring) and the average intensity."""
    by_slot = {(r.day, r.kind): r for r in rows}
    zone = zone_for_safe(user.timezone)
    since = user.onboarded_at or user.created_at
    clocks = {
        "morning": _clock(user.morning_time, time(8, 0)),
        "evening": _clock(user.evening_time, time(21, 0)),
    }
    days: list[tuple[date, Slot, Slot]] = []
    for day in period.days():
        morning, evening = by_slot.get((day, "morning")), by_slot.get((day, "evening"))
        day_done = bool((morning and morning.done) or (evening and evening.done))
        rest_day = not day_done and bool((morning and morning.rest) or (evening and evening.rest))
        pair = []
        for kind, row in (("morning", morning), ("evening", evening)):
            done = row is not None and row.done > 0
            partly = done and row is not None and row.finished == 0
            possible = done
            if not done and not rest_day and not (row is not None and row.rest):
                slot = datetime.combine(day, clocks[kind], tzinfo=zone).astimezone(UTC)
                possible = since <= slot <= now
            intensity = row.intensity_sum / row.intensity_n if row and row.intensity_n else None
            pair.append(Slot(done, partly, possible, intensity))
        days.append((day, pair[0], pair[1]))
    return days


def chart_days(slots: Sequence[tuple[date, Slot, Slot]]) -> list[ChartDay]:
    return [
        ChartDay(
            day,
            morning.intensity,
            evening.intensity,
            morning.done + evening.done,
            morning.possible + evening.possible,
        )
        for day, morning, evening in slots
    ]


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def weekly_buckets(days: Sequence[ChartDay]) -> list[ChartDay]:
    """One point per 7 days (averaged intensities, summed check-ins), for long periods."""
    buckets: list[ChartDay] = []
    for i in range(0, len(days), 7):
        week = days[i : i + 7]
        buckets.append(
            ChartDay(
                week[0].day,
                _mean(d.morning_intensity for d in week),
                _mean(d.evening_intensity for d in week),
                sum(d.checkins_done for d in week),
                sum(d.checkins_possible for d in week),
                _mean(d.practice for d in week),
            )
        )
    return buckets

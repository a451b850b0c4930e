"""Which days and which parts a report covers: the preset periods, typed dates, the filters.

Pure (no database, no clock: callers pass the user's ``today``). The sections are named in
the order the document shows them (``SECTIONS``); a filter is the sections it keeps
(``INCLUDES``). A feature adding a section to the report (the corrective experiences' practices
and moments) adds its name here, to the filters that keep it, and its writer in ``pdf.WRITERS``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

#: The report's sections, in document order (after the cover). Add new ones here.
SECTIONS: tuple[str, ...] = ("overview", "checkins", "thoughts", "repairs")

#: What each "what to include" choice keeps, in document order.
INCLUDES: dict[str, tuple[str, ...]] = {
    "all": SECTIONS,
    "thoughts": ("thoughts",),
    "repairs": ("repairs",),
    "checkins": ("overview", "checkins"),
}
FILTERS: tuple[str, ...] = tuple(INCLUDES)

#: The periods offered as buttons.
PRESETS: tuple[str, ...] = ("2w", "4w", "3m")

#: The longest period typed dates may cover (two years).
MAX_DAYS = 731

Problem = Literal["unreadable", "future", "too_long"]

_DAY = timedelta(days=1)
_ISO = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_DMY = r"(\d{1,2})[./](\d{1,2})[./](\d{4})"
_DATE = re.compile(rf"{_ISO}|{_DMY}")
_CODE = re.compile(r"^(\d{8})-(\d{8})$")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> int:
        """Whole weeks, rounded up (at least one)."""
        return max(1, -(-self.days // 7))

    @property
    def code(self) -> str:
        """``20260301-20260331``: the period in callback data (17 characters)."""
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def months_back(today: date, months: int) -> date:
    """The day after the same day ``months`` months earlier (the last day of a shorter month)."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + _DAY


def preset(name: str, today: date) -> Period:
    """``2w`` and ``4w``: the last 14 or 28 days; ``3m``: the last three months; up to today."""
    if name == "2w":
        return Period(today - timedelta(days=13), today)
    if name == "4w":
        return Period(today - timedelta(days=27), today)
    if name == "3m":
        return Period(months_back(today, 3), today)
    raise ValueError(f"unknown period {name!r}")


def _date(match: re.Match[str]) -> date | None:
    iso_y, iso_m, iso_d, d, m, y = match.groups()
    try:
        if iso_y is not None:
            return date(int(iso_y), int(iso_m), int(iso_d))
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def parse_dates(text: str, today: date) -> Period | Problem:
    """The period two typed dates give (``2026-03-01 2026-03-31``, ``1.3.2026 – 31.3.2026``,
    day first with dots or slashes); one date alone runs to today. Dates in either order; an
    end after today stops at today. A period starting after today, longer than ``MAX_DAYS``, or
    text with no date (or more than two) is a ``Problem``."""
    found = list(_DATE.finditer(text))
    if not 1 <= len(found) <= 2:
        return "unreadable"
    dates = [_date(m) for m in found]
    if any(d is None for d in dates):
        return "unreadable"
    days = sorted(d for d in dates if d is not None)
    start, end = days[0], min(days[-1] if len(days) == 2 else today, today)
    if start > today:
        return "future"
    period = Period(start, end)
    if period.days > MAX_DAYS:
        return "too_long"
    return period


def decode(code: str) -> Period | None:
    """A period from callback data (``Period.code``), or None when it is not one."""
    found = _CODE.match(code)
    if found is None:
        return None
    try:
        start = date(int(code[0:4]), int(code[4:6]), int(code[6:8]))
        end = date(int(code[9:13]), int(code[13:15]), int(code[15:17]))
    except ValueError:
        return None
    if end < start or (end - start).days + 1 > MAX_DAYS:
        return None
    return Period(start, end)


def sections(include: str) -> tuple[str, ...]:
    """The sections a filter keeps (``ValueError`` for an unknown one)."""
    if include not in INCLUDES:
        raise ValueError(f"unknown filter {include!r}")
    return INCLUDES[include]


def filename(today: date) -> str:
    """The document's name: the date only, never anything the user wrote."""
    return f"steady-report-{today.isoformat()}.pdf"

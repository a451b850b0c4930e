"""A moment in the near future, typed by a user or picked from a few presets.

``parse_when`` reads "21:30", "tonight 9pm", "tomorrow", "tomorrow at 7pm", "Friday 18:00",
"fri", "2026-03-20 18:00", "20.03. 18:00", "20 March 6pm", "March 20", "in 3 days",
"in 2 hours" in the user's zone and returns an aware UTC instant. A day without a time means
the evening (19:00). Times are parsed by ``timeparse.parse_time``; a local time that does not
exist (a DST gap) moves forward, an ambiguous one takes the first (PEP 495 ``fold=0``).

Pure: no Telegram, no database, no clock (``now`` is passed in).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.content import i18n
from bot.services.parse import words
from bot.services.parse.times import DayInputError, TimeInputError, parse_day, parse_time

PRESETS = ("tonight", "tomorrow", "days")
EVENING = time(19, 0)
FOLLOWUP_DELAY = timedelta(hours=2)
FOLLOWUP_MORNING = time(10, 0)
NIGHT_STARTS, NIGHT_ENDS = time(22, 0), time(8, 0)
MAX_AHEAD = timedelta(days=366)
MAX_LEN = 64

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?\.?(?=\s|$)")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?(?=\s|$|,)")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?=\s|$|,)")
_RELATIVE = re.compile(r"in\s+(an?|\d{1,3})\s+(minutes?|mins?|hours?|hrs?|h|days?|d|weeks?)")
_WORD = re.compile(r"([^\W\d_]+)\.?(?=\s|$|,)")
_TIME_FIRST = re.compile(r"(.+?)\s+(?:on\s+)?([^\W\d_]+)")


class WhenError(ValueError):
    """``key`` is ``bad`` (not understood), ``past`` (already over) or ``far`` (> a year)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _local(day: date, at: time, zone: tzinfo) -> datetime:
    return datetime.combine(day, at.replace(fold=0), tzinfo=zone).astimezone(UTC)


def _checked(moment: datetime, now: datetime) -> datetime:
    if moment <= now:
        raise WhenError("past")
    if moment - now > MAX_AHEAD:
        raise WhenError("far")
    return moment


def preset_time(preset: str, zone: tzinfo, now: datetime) -> datetime:
    """Tonight (19:00, or half an hour from now if that is later), tomorrow evening, or in
    three days in the evening."""
    today = now.astimezone(zone).date()
    if preset == "tonight":
        soon = now + timedelta(minutes=30)
        return max(_local(today, EVENING, zone), soon.replace(second=0, microsecond=0))
    if preset == "tomorrow":
        return _local(today + timedelta(days=1), EVENING, zone)
    if preset == "days":
        return _local(today + timedelta(days=3), EVENING, zone)
    raise ValueError(f"unknown preset {preset!r}")


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise WhenError("bad") from None


def _without_year(month: int, day: int, today: date) -> date:
    found = _date(today.year, month, day)
    return found if found >= today else _date(today.year + 1, month, day)


def _relative(m: re.Match[str], zone: tzinfo, now: datetime) -> datetime:
    amount = 1 if m[1] in ("a", "an") else int(m[1])
    unit = m[2][0]
    if unit == "m":
        return now + timedelta(minutes=amount)
    if unit == "h":
        return now + timedelta(hours=amount)
    days = amount * (7 if unit == "w" else 1)
    return _local(now.astimezone(zone).date() + timedelta(days=days), EVENING, zone)


def _split_day(s: str, today: date) -> tuple[date, str, str]:
    """(the day, what kind of day word it was, the rest of the text)."""
    if m := _ISO.match(s):
        return _date(int(m[1]), int(m[2]), int(m[3])), "date", s[m.end() :]
    if m := _DMY.match(s):
        day, month = int(m[1]), int(m[2])
        if m[3]:
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return _date(year, month, day), "date", s[m.end() :]
        return _without_year(month, day, today), "date", s[m.end() :]
    if (m := _DAY_MONTH.match(s)) and m[2] in _MONTHS:
        return _without_year(_MONTHS[m[2]], int(m[1]), today), "date", s[m.end() :]
    if (m := _MONTH_DAY.match(s)) and m[1] in _MONTHS:
        return _without_year(_MONTHS[m[1]], int(m[2]), today), "date", s[m.end() :]
    m = _WORD.match(s)
    if m is None:
        raise WhenError("bad")
    word, rest = m[1], s[m.end() :]
    if word in ("today", "tonight"):
        return today, word, rest
    if word in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1), "tomorrow", rest
    if word == "this" and (m2 := _WORD.match(rest.strip())) and m2[1] in ("evening", "afternoon"):
        return today, "tonight", rest.strip()[m2.end() :]
    try:
        weekday = parse_day(word)
    except DayInputError:
        raise WhenError("bad") from None
    return today + timedelta(days=(weekday - today.weekday()) % 7), "weekday", rest


def parse_when(text: str, zone: tzinfo, now: datetime) -> datetime:
    """The moment ``text`` names, in ``zone``, strictly after ``now``; raises ``WhenError``."""
    if not isinstance(text, str) or len(text) > MAX_LEN:
        raise WhenError("bad")
    s = re.sub(r"\s+", " ", text.strip().lower().rstrip(".!?"))
    s = words.to_english(s)
    s = re.sub(r"^(on|at|by)\s+", "", s)
    if not s:
        raise WhenError("bad")
    today = now.astimezone(zone).date()
    try:
        at = parse_time(s)
    except TimeInputError:
        pass
    else:
        moment = _local(today, at, zone)
        return _checked(moment if moment > now else _local(today + timedelta(1), at, zone), now)
    if m := _RELATIVE.fullmatch(s):
        return _checked(_relative(m, zone, now), now)
    if m := _TIME_FIRST.fullmatch(s):  # "7pm tomorrow" reads as "tomorrow 7pm"
        try:
            parse_time(m[1])
            s = f"{m[2]} {m[1]}"
        except TimeInputError:
            pass
    day, kind, rest = _split_day(s, today)
    rest = re.sub(r"^[\s,]*(?:at\s+|@\s*|in the\s+)?", "", rest).strip()
    if not rest or rest in ("evening", "night"):
        at = EVENING
    else:
        try:
            at = parse_time(rest)
        except TimeInputError:
            raise WhenError("bad") from None
        if kind == "tonight" and at.hour < 12 and not re.search(r"am|a\.m\.", rest):
            at = at.replace(hour=at.hour + 12)
    moment = _local(day, at, zone)
    if moment <= now and kind == "weekday":
        moment = _local(day + timedelta(days=7), at, zone)
    return _checked(moment, now)


def followup_time(when: datetime | None, zone: tzinfo, now: datetime) -> datetime:
    """When to ask how a repair went: two hours after the planned moment, moved out of the
    night to the next morning; two days from now in the evening when no moment was planned."""
    today = now.astimezone(zone).date()
    if when is None:
        return _local(today + timedelta(days=2), EVENING, zone)
    candidate = max(when, now) + FOLLOWUP_DELAY
    local = candidate.astimezone(zone)
    if local.time() >= NIGHT_STARTS:
        return _local(local.date() + timedelta(days=1), FOLLOWUP_MORNING, zone)
    if local.time() < NIGHT_ENDS:
        return _local(local.date(), FOLLOWUP_MORNING, zone)
    return candidate


def describe(moment: datetime, zone: tzinfo) -> str:
    """ "Tue 3 Mar, 19:00" in the user's zone (CLDR, in the current language)."""
    return i18n.moment(moment.astimezone(zone))

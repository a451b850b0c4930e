"""Parsing and formatting of user-typed times, weekdays and time zones.

Pure functions: no I/O besides reading the installed tz database, no clock.
Every rejection raises a subclass of :class:`InputError` whose ``key`` is one of

* ``time.invalid`` (not a time), ``time.range`` (looks like a time but is out of range)
* ``day.invalid`` (not a weekday), ``weekly.invalid`` (not "<day> <time>")
* ``tz.unknown`` (unknown zone/city; see ``suggestions``), ``tz.ambiguous`` (a city name
  shared by places in different zones; see ``places``), ``tz.offset`` (UTC offset
  outside -12:00..+14:00 or minutes not 00/15/30/45)

Cities are looked up in the GeoNames gazetteer (``places``), in any of the names GeoNames knows
them by ("München", "Munich", "Мюнхен"); ``bot/content/cities.py`` adds the abbreviations and
islands it does not have.

Zone names returned by :func:`parse_timezone` are either an IANA name
("Europe/Berlin"), ``"UTC"``, or a fixed offset written ``"UTC+05:30"``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import zoneinfo
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from functools import cache, lru_cache

from bot.content import t
from bot.content.cities import ALIASES
from bot.services.parse import places
from bot.services.parse.places import Place

__all__ = [
    "DAY_NAMES",
    "DayInputError",
    "InputError",
    "TimeInputError",
    "TimezoneInputError",
    "describe_zone",
    "format_time",
    "local_now",
    "parse_day",
    "parse_time",
    "parse_timezone",
    "parse_weekly",
    "zone_for",
]

MAX_TIME_LEN = 32
MAX_ZONE_LEN = 64
MAX_WEEKLY_LEN = 64


class InputError(ValueError):
    """User input could not be understood; ``key`` says why, ``example`` shows a valid input."""

    def __init__(self, key: str, example: str) -> None:
        super().__init__(key)
        self.key = key
        self.example = example


class TimeInputError(InputError):
    def __init__(self, key: str = "time.invalid", example: str = "07:30") -> None:
        super().__init__(key, example)


class DayInputError(InputError):
    def __init__(self, key: str = "day.invalid", example: str = "Sunday") -> None:
        super().__init__(key, example)


class TimezoneInputError(InputError):
    def __init__(
        self,
        key: str = "tz.unknown",
        suggestions: list[str] | None = None,
        example: str = "Europe/Berlin",
        places: tuple[Place, ...] = (),
    ) -> None:
        super().__init__(key, example)
        self.suggestions: list[str] = list(suggestions or [])[:3]
        #: ``tz.ambiguous``: the places the name may mean, best first (zones in suggestions).
        self.places = places


# --------------------------------------------------------------------------- times

_TIME_COLON = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.ASCII)
_TIME_H = re.compile(r"(\d{1,2})h(\d{2})?", re.ASCII)
_TIME_COMPACT = re.compile(r"(\d{1,2})(\d{2})", re.ASCII)


#: What people type around a time in Steady's languages, dropped before it is read: "um 7 Uhr",
#: "a las 7", "à 7 heures", "às 7h", "в 7 часов", "at 7 o'clock".
_TIME_BEFORE = re.compile(r"^(?:at|um|gegen|a\s+las|a\s+la|à|a|às|as|в|к)\s+")
_TIME_AFTER = re.compile(r"\s*(?:o'?clock|uhr|hs|hrs|horas?|heures?|часов|часа|час|ч)\.?$")
#: Words for before and after noon ("7 Uhr abends", "7 de la tarde", "7 du soir", "7 утра").
_MERIDIEM_WORDS = (
    (
        re.compile(
            r"\s*(?:morgens|früh|vormittags|de\s+la\s+mañana|du\s+matin|da\s+manhã|"
            r"de\s+manhã|утра|ночи)$"
        ),
        "am",
    ),
    (
        re.compile(
            r"\s*(?:abends|nachmittags|de\s+la\s+tarde|de\s+la\s+noche|du\s+soir|"
            r"de\s+l'après-midi|da\s+tarde|da\s+noite|de\s+tarde|de\s+noite|вечера|"
            r"дня)$"
        ),
        "pm",
    ),
)
_HOUR_UNIT_MINUTES = re.compile(r"(\d{1,2})\s*(?:uhr|h|ч)\s*(\d{2})")


def _time_words(s: str) -> str:
    """ "um 7 Uhr abends" → "7 pm", "19 Uhr 30" → "19:30", "в 7 утра" → "7 am"."""
    s = _TIME_BEFORE.sub("", s)
    meridiem = ""
    for pattern, word in _MERIDIEM_WORDS:
        if pattern.search(s):
            s, meridiem = pattern.sub("", s), word
            break
    s = _HOUR_UNIT_MINUTES.sub(r"\1:\2", s)
    s = _TIME_AFTER.sub("", s).strip()
    hour = re.fullmatch(r"(\d{1,2})(?:[:.]\d{2})?", s)
    # "19 Uhr abends" says the same twice: the 24-hour clock stands.
    return f"{s} {meridiem}" if meridiem and hour and 1 <= int(hour[1]) <= 12 else s


def parse_time(text: str) -> time:
    """Parse "7:30", "07.30", "7:30 pm", "7pm", "12am", "19h30", "19", "0730" — and the same
    with the words of Steady's languages around them ("7 Uhr", "um 19 Uhr 30", "a las 7",
    "à 7h", "às 19h", "в 7 утра", "7 вечера") — into a time."""
    if not isinstance(text, str) or len(text) > MAX_TIME_LEN:
        raise TimeInputError()
    s = _time_words(re.sub(r"\s+", " ", text.strip().lower()))
    if m := _TIME_COLON.fullmatch(s):
        hour, minute, meridiem = int(m[1]), int(m[2] or 0), m[3]
        if meridiem:
            if not 1 <= hour <= 12:
                raise TimeInputError("time.range")
            hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    elif m := (_TIME_H.fullmatch(s) or _TIME_COMPACT.fullmatch(s)):
        hour, minute = int(m[1]), int(m[2] or 0)
    else:
        raise TimeInputError()
    if hour > 23 or minute > 59:
        raise TimeInputError("time.range")
    return time(hour, minute)


def format_time(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


# --------------------------------------------------------------------------- days

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
#: The languages whose weekday names are understood (CLDR's, through Babel).
DAY_LANGUAGES = ("en", "de", "es", "fr", "pt", "ru")


@cache
def _day_names(lang: str) -> dict[str, int]:
    """Folded weekday names of one language, wide and abbreviated, with and without the
    dot ("So.", "so", "sábado", "sabado", "segunda-feira", "segunda", "пн") → 0..6."""
    from babel import Locale

    days = Locale.parse(lang).days
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated", "short"):
            for number, name in days[context][width].items():
                for form in (name, name.split("-")[0]):  # "segunda-feira" → "segunda"
                    key = _fold(form).rstrip(".")
                    if len(key) >= 2:
                        names.setdefault(key, number)
    if lang == "en":
        names.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
    return names


@cache
def _all_day_names() -> dict[str, int]:
    """Every language's names that mean the same day in all of them ("do" is Thursday in
    German and Sunday in Spanish: left to the user's own language)."""
    merged: dict[str, set[int]] = {}
    for lang in DAY_LANGUAGES:
        for key, number in _day_names(lang).items():
            merged.setdefault(key, set()).add(number)
    return {key: next(iter(days)) for key, days in merged.items() if len(days) == 1}


def parse_day(text: str, lang: str = "en") -> int:
    """A weekday's name or abbreviation in the user's language, or in any of Steady's
    languages where it is unambiguous ("sun", "Sonntag", "domingo", "dim.", "вс") → 0
    (Monday) .. 6 (Sunday)."""
    if not isinstance(text, str) or len(text) > MAX_WEEKLY_LEN:
        raise DayInputError()
    key = _fold(text).rstrip(".,")
    own = _day_names(lang) if lang in DAY_LANGUAGES else {}
    day = own.get(key, _all_day_names().get(key))
    if day is None:
        raise DayInputError()
    return day


def parse_weekly(text: str, lang: str = "en") -> tuple[int, time]:
    """Parse "<day> <time>", e.g. "sunday 19:00", "Sun 7pm", "sun at 7 pm", "Sonntag 19 Uhr",
    "domingo a las 19", "dimanche à 19h", "воскресенье в 19:00"."""
    example = "Sunday 19:00"
    if not isinstance(text, str) or len(text) > MAX_WEEKLY_LEN:
        raise DayInputError("weekly.invalid", example)
    parts = text.strip().split(maxsplit=1)
    if len(parts) != 2:
        raise DayInputError("weekly.invalid", example)
    day_text, time_text = parts
    try:
        day = parse_day(day_text, lang)
    except DayInputError as exc:
        raise DayInputError(exc.key, example) from None
    try:
        return day, parse_time(time_text)
    except TimeInputError as exc:
        raise TimeInputError(exc.key, example) from None


# --------------------------------------------------------------------------- zones

_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic"}
    | {"Australia", "Europe", "Indian", "Pacific"}
)
_NOT_ZONES = frozenset({"Factory", "localtime", "posixrules"})
_UTC_ALIASES = frozenset(
    {"utc", "gmt", "z", "zulu", "uct", "universal", "greenwich", "gmt0"}
    | {"etc/utc", "etc/gmt", "etc/uct", "etc/zulu", "etc/universal", "etc/greenwich"}
    | {"etc/gmt0", "etc/gmt+0", "etc/gmt-0"}
)
_OFFSET_INPUT = re.compile(r"(?:(?:utc|gmt)\s*)?([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.ASCII)
_OFFSET_CANONICAL = re.compile(r"UTC([+-])(\d{2}):(\d{2})", re.ASCII)


def _fold(text: str) -> str:
    """Case-fold, strip accents, drop . and apostrophes, collapse _/whitespace to one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in decomposed if not unicodedata.combining(c))
    s = re.sub(r"[.'\u2019]", "", s)
    return re.sub(r"[\s_]+", " ", s).strip()


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - _NOT_ZONES)


@lru_cache(maxsize=1)
def _by_full_name() -> dict[str, str]:
    return {name.casefold(): name for name in _zone_names()}


@lru_cache(maxsize=1)
def _by_last_component() -> dict[str, str]:
    """ "new york" -> "America/New_York"; on clashes prefer the deeper (canonical) name."""
    best: dict[str, str] = {}
    for name in sorted(_zone_names()):
        parts = name.split("/")
        if len(parts) < 2 or parts[0] not in _REGIONS:
            continue
        key = _fold(parts[-1])
        if key not in best or len(parts) > best[key].count("/") + 1:
            best[key] = name
    return best


@lru_cache(maxsize=1)
def _suggestion_pool() -> dict[str, str]:
    return {**_by_last_component(), **ALIASES}


def _offset_minutes(sign: str, hours: str, minutes: str | None) -> int | None:
    total = int(hours) * 60 + int(minutes or 0)
    if int(minutes or 0) not in (0, 15, 30, 45):
        return None
    total = -total if sign == "-" else total
    return total if -12 * 60 <= total <= 14 * 60 else None


def _format_offset(total: int) -> str:
    if total == 0:
        return "UTC"
    sign = "+" if total > 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _suggest(key: str) -> list[str]:
    pool = _suggestion_pool()
    out: list[str] = []
    for match in difflib.get_close_matches(key, pool.keys(), n=10, cutoff=0.6):
        if pool[match] not in out:
            out.append(pool[match])
    return out[:3]


def parse_timezone(text: str) -> str:
    """Resolve user text to "UTC", "UTC±HH:MM" or a correctly-cased IANA name."""
    if not isinstance(text, str) or len(text) > MAX_ZONE_LEN:
        raise TimezoneInputError()
    raw = unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")
    key = _fold(raw)
    if not key:
        raise TimezoneInputError()
    if key in _UTC_ALIASES:
        return "UTC"
    if m := _OFFSET_INPUT.fullmatch(key):
        total = _offset_minutes(m[1], m[2], m[3])
        if total is None:
            raise TimezoneInputError("tz.offset", example="UTC+05:30")
        return _format_offset(total)
    for candidate in (key, key.split(",")[0].strip()):
        if candidate in ALIASES:
            return ALIASES[candidate]
    full = _by_full_name().get(key.replace(" ", "_"))
    if full is not None:
        if full.casefold() in _UTC_ALIASES:
            return "UTC"
        if m := re.fullmatch(r"Etc/GMT([+-])(\d{1,2})", full):
            # POSIX-style: Etc/GMT+5 is UTC-05:00; show the unsurprising form instead.
            return _format_offset((-60 if m[1] == "+" else 60) * int(m[2]))
        return full
    found = tuple(p for p in places.lookup(raw) if p.zone in _zone_names())
    if len(found) == 1:
        return found[0].zone
    if found:
        raise TimezoneInputError("tz.ambiguous", [p.zone for p in found], places=found)
    for candidate in (key, key.split(",")[0].strip()):
        if candidate in _by_last_component():
            return _by_last_component()[candidate]
    raise TimezoneInputError(suggestions=_suggest(key))


def zone_for(name: str) -> tzinfo:
    """tzinfo for a name produced by :func:`parse_timezone`; TimezoneInputError if corrupt."""
    if not isinstance(name, str):
        raise TimezoneInputError()
    if name == "UTC":
        return UTC
    if m := _OFFSET_CANONICAL.fullmatch(name):
        total = _offset_minutes(m[1], m[2], m[3])
        if total is None:
            raise TimezoneInputError("tz.offset", example="UTC+05:30")
        return timezone(timedelta(minutes=total), name) if total else UTC
    if name not in _zone_names():
        raise TimezoneInputError()
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise TimezoneInputError() from None


def local_now(name: str, now: datetime) -> datetime:
    """``now`` (aware) as wall-clock time in zone ``name``."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone_for(name))


def describe_zone(name: str, now: datetime) -> str:
    """E.g. "Europe/Berlin (now 14:05)", in the current language."""
    return t("common.zone_now", zone=name, time=format_time(local_now(name, now).time()))

"""The user's language: which one, its translations (gettext catalogues read through Babel),
and CLDR formatting of dates, times, lists and plurals.

Steady speaks English, German, Spanish, French, Portuguese (Brazilian) and Russian. English is
the source: the TOML catalogues beside this module. Each other language is a gettext catalogue,
``bot/locales/<lang>/LC_MESSAGES/steady.po``: one entry per text, its content key as the
context (``msgctxt``), the English text as ``msgid`` (``msgid_plural`` for texts with a count),
the translation as ``msgstr`` — the format translation tools (Poedit, Weblate, Crowdin) read.
At start-up each ``.po`` is compiled in memory to ``.mo`` by Babel and read by the standard
library's ``gettext`` (plural forms by the catalogue's CLDR-derived ``Plural-Forms``). Nothing
is generated into the repository and nothing is downloaded.

The language of the update being handled is a context variable (``using``): handlers set it
from the user's stored language before anything is said, the sweep for each recipient, so
``t()`` needs no language argument and a text never leaks into another user's reply (each
update runs in its own asyncio task, with its own copy of the context).
"""

from __future__ import annotations

import contextlib
import gettext
import io
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

#: The languages Steady speaks, English first (the fallback).
LANGUAGES: tuple[str, ...] = ("en", "de", "es", "fr", "pt", "ru")
DEFAULT = "en"
#: The catalogues' home: ``<lang>/LC_MESSAGES/steady.po``.
LOCALES = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "steady"
#: Babel's locale for each language (Portuguese is Brazil's).
_LOCALE_IDS = {"en": "en", "de": "de", "es": "es", "fr": "fr", "pt": "pt_BR", "ru": "ru"}

_current: ContextVar[str] = ContextVar("steady_language", default=DEFAULT)


def known(code: str | None) -> str | None:
    """The language Steady speaks for a Telegram ``language_code`` or a typed one: "de-AT" →
    "de", "pt-br" → "pt", "RU" → "ru"; None for any other."""
    base = (code or "").replace("_", "-").split("-")[0].strip().casefold()
    return base if base in LANGUAGES else None


def resolve(code: str | None) -> str:
    """``known``, with English for anything else."""
    return known(code) or DEFAULT


def current() -> str:
    """The language of what is being handled now."""
    return _current.get()


def use(lang: str) -> None:
    """Speak ``lang`` for the rest of this update (this task's context)."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)


@contextlib.contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block (the sweep, per recipient), then what was before."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def locale(lang: str | None = None) -> Locale:
    return _locale(lang or current())


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALE_IDS.get(lang, DEFAULT))


def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalogue, compiled by Babel in memory and read by ``gettext``;
    English (and a language without a catalogue) translates nothing."""
    return _load(lang)[0]


def has_plural(key: str, lang: str | None = None) -> bool:
    """Whether the language's catalogue gives the text at ``key`` plural forms (a count in a
    text English writes one way: "{n} days", but Russian three)."""
    return key in _load(lang or current())[1]


@cache
def _load(lang: str) -> tuple[gettext.NullTranslations, frozenset[str]]:
    path = LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations(), frozenset()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=_LOCALE_IDS[lang], domain=DOMAIN)
    plurals = frozenset(str(m.context) for m in catalog if m.id and m.pluralizable and m.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer), plurals


def translate(key: str, english: str, lang: str | None = None) -> str:
    """The text at ``key`` in ``lang`` (default: the current language); English when the
    catalogue has no translation for it."""
    return translations(lang or current()).pgettext(key, english)


def translate_plural(key: str, one: str, other: str, n: int, lang: str | None = None) -> str:
    """The form of the text at ``key`` for the count ``n`` (CLDR's rules, as the
    catalogue's Plural-Forms give them: "1 day", "2 Tage", "5 дней")."""
    return translations(lang or current()).npgettext(key, one, other, n)


# --------------------------------------------------------------------------- formatting


def weekday(day: int, *, short: bool = False, lang: str | None = None) -> str:
    """Monday is 0: "Sunday", "Sonntag", "воскресенье" (``short``: "Sun", "So.", "вс")."""
    width = "abbreviated" if short else "wide"
    return str(locale(lang).days["stand-alone"][width][day])


def day_month(day: date, lang: str | None = None) -> str:
    """ "Sun 3 Mar", "So., 3. März", "вс, 3 мар." — a short date without the year (CLDR's
    skeleton ``MMMEd``; English keeps the day-first form Steady has always shown)."""
    if (lang or current()) == DEFAULT:
        return format_date(day, "EEE d MMM", locale=locale(lang))
    return format_skeleton("MMMEd", day, locale=locale(lang))


def short_date(day: date, lang: str | None = None) -> str:
    """ "2 Mar", "2. März", "2 мар." — day and month (CLDR's skeleton ``MMMd``)."""
    if (lang or current()) == DEFAULT:
        return format_date(day, "d MMM", locale=locale(lang))
    return format_skeleton("MMMd", day, locale=locale(lang))


def moment(when: datetime, lang: str | None = None) -> str:
    """ "Tue 3 Mar, 19:00", "Di., 3. März, 19:00" — a short date and the time (24-hour), as
    ``when`` reads on its own clock (pass it in the user's zone)."""
    return f"{day_month(when.date(), lang)}, {when.hour:02d}:{when.minute:02d}"


def decimal(value: float, lang: str | None = None) -> str:
    """One decimal, as the language writes it: "4.5", "4,5"."""
    return format_decimal(round(value, 1), "0.0", locale=locale(lang))


def joined(items: Sequence[str], lang: str | None = None) -> str:
    """ "a, b and c", "a, b und c", "a, b и c" (CLDR list patterns)."""
    return format_list(list(items), locale=locale(lang))


def inline(label: str, lang: str | None = None) -> str:
    """A label as it reads inside a sentence: "Anxious" → "anxious" — but German keeps its
    capitals ("Angst" stays "Angst"), and an acronym stays as it is. Use this, never
    ``.lower()``, on a translated word."""
    if (lang or current()) == "de" or len(label) < 2 or label[1].isupper():
        return label
    return label[0].lower() + label[1:]


def country_name(code: str, lang: str | None = None) -> str:
    """An ISO 3166 country code's name in the language: "DE" → "Germany", "Deutschland"."""
    return str(locale(lang).territories.get(code.upper(), code))


def language_name(lang: str) -> str:
    """A language's name in itself: "Deutsch", "русский" (for the /language buttons)."""
    return str(_locale(lang).get_display_name(_locale(lang)) or lang)

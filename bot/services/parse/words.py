"""The words of Steady's languages for near moments, rewritten to the English the parser of
``moments`` reads: "morgen um 19 Uhr" → "tomorrow 19 uhr", "dans 3 jours" → "in 3 days",
"через 2 часа" → "in 2 hours", "20 de marzo" → "20 march". Month names are CLDR's (Babel).

Pure and total: text in, text out; whatever it does not know it leaves alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

#: Whole phrases first (longest first when matched), each to its English.
_PHRASES: dict[str, str] = {
    # the day after tomorrow → in 2 days
    "ubermorgen": "in 2 days",
    "pasado manana": "in 2 days",
    "apres demain": "in 2 days",
    "depois de amanha": "in 2 days",
    "послезавтра": "in 2 days",
    # tonight
    "heute abend": "tonight",
    "heute nacht": "tonight",
    "esta noche": "tonight",
    "esta tarde": "tonight",
    "ce soir": "tonight",
    "hoje a noite": "tonight",
    "hoje de noite": "tonight",
    "esta noite": "tonight",
    "сегодня вечером": "tonight",
    "вечером": "tonight",
    # today, tomorrow
    "heute": "today",
    "hoy": "today",
    "aujourdhui": "today",
    "hoje": "today",
    "сегодня": "today",
    "morgen": "tomorrow",
    "manana": "tomorrow",
    "demain": "tomorrow",
    "amanha": "tomorrow",
    "завтра": "tomorrow",
}

#: "in 3 Tagen", "en 3 días", "dentro de 3 días", "dans 3 jours", "em 3 dias", "daqui a 3 dias",
#: "через 3 дня" (and hours, minutes, weeks; "einer", "un", "une", "um", "uma" for one).
_IN = r"(?:in|en|dentro de|dans|em|daqui a|через)"
_ONE = r"(?:einer|einem|einen|ein|un|una|une|um|uma)"
_UNITS = {
    "days": r"tagen?|tag|dias?|jours?|дн(?:я|ей|ь)|день",
    "hours": r"stunden?|horas?|heures?|час(?:а|ов)?",
    "minutes": r"minuten?|minutos?|minutes?|минут(?:ы|у)?",
    "weeks": r"wochen?|semanas?|semaines?|недел(?:ю|и|ь)",
}
_RELATIVE = re.compile(
    rf"^{_IN}\s+(\d{{1,3}}|{_ONE})?\s*("
    + "|".join(f"(?P<{unit}>{forms})" for unit, forms in _UNITS.items())
    + r")(?=\s|$|,)"
)
#: Fillers between a day and its month, and before a time: "20 de marzo", "le 20 mars",
#: "am 20. März", "el martes", "um 19 Uhr" is left to the time parser.
_FILLERS = re.compile(r"\b(?:de|del|do|da|le|el|am|den|der|au|о)\s+(?=\S)")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in decomposed if not unicodedata.combining(c))
    s = re.sub(r"['\u2019]", "", s)
    s = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", s)  # "après-demain"; not "2026-03-20"
    return re.sub(r"\s+", " ", s).strip()


def one_of(word: str, words: Iterable[str]) -> bool:
    """Whether ``word`` is one of ``words``, case and accents aside ("Mañana" is "manana")."""
    folded = fold(word).strip(".")
    return bool(folded) and any(fold(w) == folded for w in words)


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    """Folded month names of Steady's languages, wide and abbreviated, in both CLDR contexts
    (Russian "марта" and "март") → 1..12."""
    from babel import Locale

    found: dict[str, int] = {}
    for lang in ("en", "de", "es", "fr", "pt_BR", "ru"):
        names = Locale.parse(lang).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in names[context][width].items():
                    key = fold(name).rstrip(".")
                    if len(key) >= 3:
                        found.setdefault(key, number)
    return found


_ENGLISH_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def to_english(text: str) -> str:
    """``text`` (already lower case) with the words of other languages put in English."""
    s = fold(text)
    for phrase in sorted(_PHRASES, key=len, reverse=True):
        s = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", _PHRASES[phrase], s)
    if m := _RELATIVE.match(s):
        amount = m[1] or "1"
        if not amount.isdigit():
            amount = "1"
        unit = next(u for u in _UNITS if m[u])
        s = f"in {amount} {unit}" + s[m.end() :]
    s = _FILLERS.sub("", s)
    words = months()
    s = re.sub(
        r"(?<!\w)(\w{3,})\.?(?!\w)",
        lambda w: _ENGLISH_MONTHS[words[w[1]] - 1] if w[1] in words else w[0],
        s,
    )
    return re.sub(r"(\d{1,2})\.\s+(?=[a-z])", r"\1 ", s)  # "20. march" → "20 march"

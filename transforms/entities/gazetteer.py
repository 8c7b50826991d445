"""Known names: countries, major cities, well-known organisations, wire agencies and outlets.

Country names come from CLDR territory names (Babel) in every language Kabar reads plus pycountry's
English names, so "Rusia", "Russland" and "Россия" all resolve to Russia (RU) without a hand list;
``countries.json`` adds what both lack ("AS", "Federasi Rusia"). Provinces, states and regions come
from ISO 3166-2 (pycountry), each only in the languages of its country (``cities.json``), as many are
words or names elsewhere. A name matches only as whole tokens; names of three letters or fewer
("US", "UK", "AS") only in their exact capitalisation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale

from transforms.entities.tokens import Token
from transforms.lexicons import load
from transforms.sources import AGENCIES

GAZETTEER_LANGUAGES = ("id", "en", "de", "fr", "es", "pt", "ru", "ms", "nl")
ANY_LANGUAGE = "*"
_PARENTHESIS = re.compile(r"\s*\(.*?\)")
_SUBDIVISION_SPELLINGS = re.compile(r"[^\[\]]+")
_EXACT_ONLY_LENGTH = 3


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    type: str
    country_code: str | None
    is_country: bool


@dataclass(frozen=True)
class Gazetteer:
    folded: dict[str, Entry]
    exact: dict[str, Entry]
    by_language: dict[str, dict[str, Entry]]
    max_tokens: int
    prefixes: frozenset[str]   # first two letters of every spelling, casefolded: most tokens start none


    def match(self, text: str, tokens: list[Token], start: int, stop: int,
              language: str | None) -> tuple[int, Entry] | None:
        """The longest entry spelled by ``tokens[start:end]`` (end <= stop), as ``(end, entry)``.
        Language-only aliases apply to that language, or to all when the language is unknown."""
        extra = self.by_language.get(language or ANY_LANGUAGE, {})
        begin = tokens[start].start
        spelled = text[begin:begin + _PREFIX].casefold() in self.prefixes
        for end in range(min(stop, start + self.max_tokens), start, -1) if spelled else ():
            entry = self._lookup(" ".join(text[tokens[start].start:tokens[end - 1].end].split()), extra)
            if entry:
                return end, entry
        for guess in _russian_nominatives(tokens[start].text):
            entry = self._lookup(guess, extra)
            if entry:
                return start + 1, entry
        return None

    def lookup(self, name: str) -> Entry | None:
        """The entry spelled exactly ``name`` in any language ("Sleman", "Kejaksaan Agung"), if any."""
        return self._lookup(name, {})

    def _lookup(self, key: str, extra: dict[str, Entry]) -> Entry | None:
        return extra.get(key) or self.exact.get(key) or (
            self.folded.get(key.casefold()) if len(key) > _EXACT_ONLY_LENGTH else None)


# Russian inflects names ("в Москве", "России"); a few case endings back to the nominative find
# most single-word places without a morphological analyser.
_RUSSIAN_CASE_ENDINGS = (("ии", "ия"), ("ие", "ия"), ("е", "а"), ("е", "й"), ("е", ""), ("ы", "а"), ("и", "а"),
                         ("у", "а"), ("ой", "а"), ("а", ""), ("ом", ""))


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _russian_nominatives(word: str) -> list[str]:
    if word.isascii() or not _CYRILLIC.search(word):   # most words: no regex search
        return []
    return [word[:-len(ending)] + nominative for ending, nominative in _RUSSIAN_CASE_ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= 3]


_PREFIX = 2


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built once per process (~50 ms). Later tables win on a clash: a country beats a city or an
    organisation of the same name ("Georgia" is the country)."""
    folded: dict[str, Entry] = {}
    exact: dict[str, Entry] = {}

    def add(name: str, entry: Entry) -> None:
        name = " ".join(_PARENTHESIS.sub("", name).split())
        if not name or "," in name:
            return
        for variant in {name, name.replace(" & ", " and ")}:
            exact[variant] = entry
            if len(variant) > _EXACT_ONLY_LENGTH:
                folded[variant.casefold()] = entry

    for name, code, aliases in load("cities")["places"]:
        for spelling in [name, *aliases]:
            add(spelling, Entry(name, "LOC", code, False))
    for agency in AGENCIES:
        for spelling in agency.aliases:
            if spelling not in agency.ambiguous:
                add(spelling, Entry(agency.name, "ORG", None, False))
    for name, aliases in load("organisations")["organisations"]:
        for spelling in [name, *aliases]:
            add(spelling, Entry(name, "ORG", None, False))
    countries = _country_entries()
    for code, entry in countries.items():
        for spelling in _country_spellings(code):
            add(spelling, entry)
    by_language = {language: {alias: countries[code] for alias, code in aliases.items()}
                   for language, aliases in load("countries")["language_aliases"].items()}
    for language, entries in _subdivisions_by_language(exact).items():
        by_language[language] = entries | by_language.get(language, {})
    by_language[ANY_LANGUAGE] = {alias: entry for aliases in by_language.values() for alias, entry in aliases.items()}
    keys = [*exact, *by_language[ANY_LANGUAGE]]
    max_tokens = max(len(key.split()) for key in keys)
    return Gazetteer(folded, exact, by_language, max_tokens, frozenset(key[:_PREFIX].casefold() for key in keys))


def _subdivisions_by_language(known: dict[str, Entry]) -> dict[str, dict[str, Entry]]:
    """ISO 3166-2 subdivision names per language ("Lleida [Lérida]" gives both spellings); a name
    the gazetteer already has keeps its entry ("Paris", "Wien")."""
    table = load("cities")
    excluded = set(table["subdivision_exclusions"])
    found: dict[str, dict[str, Entry]] = {}
    for language, codes in table["subdivisions_by_language"].items():
        entries = found.setdefault(language, {})
        for code in codes:
            for subdivision in pycountry.subdivisions.get(country_code=code):
                for name in _SUBDIVISION_SPELLINGS.findall(_PARENTHESIS.sub("", subdivision.name)):
                    name = name.strip()
                    if name not in known and name not in excluded and "," not in subdivision.name:
                        entries[name] = Entry(name, "LOC", code, False)
    return found


def _country_entries() -> dict[str, Entry]:
    """One LOC entry per ISO country, named in English as news writes it ("Russia", not "Russian Federation")."""
    english = Locale.parse("en").territories
    overrides = load("countries")["canonical"]
    return {country.alpha_2: Entry(overrides.get(country.alpha_2) or english.get(country.alpha_2) or country.name,
                                   "LOC", country.alpha_2, True)
            for country in pycountry.countries}


def _country_spellings(code: str) -> list[str]:
    country = pycountry.countries.get(alpha_2=code)
    names = [Locale.parse(language).territories.get(code) for language in GAZETTEER_LANGUAGES]
    names += [getattr(country, field, None) for field in ("name", "common_name", "official_name")]
    names += load("countries")["aliases"].get(code, [])
    return [name for name in names if name]

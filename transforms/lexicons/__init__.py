"""Word lists and gazetteers for the rule-based entity, quote and source finders.

Kept as hand-written JSON beside the code so a list can grow (a new title, speech verb or wire
agency) without touching the rules that read it. Read-only: loaded once per process.
"""
from __future__ import annotations

import importlib.util
import json
from functools import lru_cache, cache
from importlib import resources
from pathlib import Path
from typing import Any

from babel import Locale

from transforms.derived import derived

# Languages whose month and day names must never become entities (CLDR, via Babel).
CALENDAR_LANGUAGES = ("id", "en", "de", "fr", "es", "pt", "nl", "ms")
# A first name tells a gender when at least this share of its bearers has it, over this many records.
FIRST_NAME_CERTAINTY, FIRST_NAME_RECORDS = 0.9, 50
# A word counted as a first name this often is one ("Prita" 21, "Yunan" 34; "Istiqlal", "Sulut" are not).
GIVEN_NAME_RECORDS = 20


@cache
def load(name: str) -> Any:
    """The parsed lexicon ``<name>.json`` of this package."""
    return json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Casefolded wide month and day names, plus abbreviated month names of 3+ letters
    ("Sept", "Okt"), in every language of ``CALENDAR_LANGUAGES``. Derived from CLDR rather than
    typed in, so all spellings of a locale are covered."""
    words: set[str] = set()
    for code in CALENDAR_LANGUAGES:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            words.update(locale.months[context]["wide"].values())
            words.update(locale.days[context]["wide"].values())
            words.update(m.rstrip(".") for m in locale.months[context]["abbreviated"].values()
                         if len(m.rstrip(".")) >= 3)
    return frozenset(word.casefold() for word in words)


def first_name_gender(name: str) -> str | None:
    """"m" or "f" for a first name nearly always given to one gender ("Hillary" -> "f", "Brad" -> "m"),
    else None ("Kim", "Pat", names the data has not seen)."""
    return _first_names()[0].get(name.casefold())


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a first name people are given ("Sri", "Budi", "Ahmed"), whatever the gender:
    a capitalised word before it is then part of the name, not of a role."""
    return word.casefold() in _first_names()[1]


@lru_cache(maxsize=1)
def _first_names() -> tuple[dict[str, str], frozenset[str]]:
    """Clearly gendered first names, and the names counted as given often enough, from nomquamgender's
    name data (MIT; first names counted over birth registers and censuses of many countries), read
    without importing the package, which would pull in pandas."""
    package = importlib.util.find_spec("nomquamgender")
    if package is None or not package.submodule_search_locations:
        raise RuntimeError("the nomquamgender package is missing: reinstall Kabar from requirements.lock")
    return derived("first-names", Path(package.submodule_search_locations[0]) / "name_data.json", _derive_first_names,
                   FIRST_NAME_CERTAINTY, FIRST_NAME_RECORDS, GIVEN_NAME_RECORDS)


def _derive_first_names(path: Path) -> tuple[dict[str, str], frozenset[str]]:
    records = json.loads(path.read_text("utf-8"))
    genders = {name: "f" if female >= FIRST_NAME_CERTAINTY else "m"
               for name, (_, count, female, *_) in records.items()
               if count >= FIRST_NAME_RECORDS and abs(female - 0.5) >= FIRST_NAME_CERTAINTY - 0.5 and name.isalpha()}
    given = frozenset(name for name, (_, count, *_) in records.items() if count >= GIVEN_NAME_RECORDS and name.isalpha())
    return genders, given


def primary_language(language: str | None) -> str | None:
    """"id-ID", "ID" and "id" -> "id"; None or "" -> None."""
    if not language:
        return None
    return language.replace("_", "-").split("-")[0].lower() or None


@lru_cache(maxsize=64)
def speech_verbs(language: str | None) -> dict[str, tuple[str, ...]]:
    """Speech cues of ``speech_verbs.json`` by kind ("inverted", "verbs", "participles", "according", "backref",
    "articles", "pronouns", "plurals", "possessives", "prepositions") for a primary language code, or of all languages
    when it has no list of its own.
    Indonesian and Malay inverted verbs also yield their '-nya' forms as back-references."""
    table = load("speech_verbs")
    languages = [language] if language in speech_verb_languages() else sorted(speech_verb_languages())
    cues = {kind: tuple(dict.fromkeys(word for code in languages for word in table[kind].get(code, ())))
            for kind in ("inverted", "verbs", "participles", "according", "backref", "articles", "pronouns",
                         "plurals", "possessives", "prepositions")}
    cues["backref"] += tuple(f"{verb}nya" for code in languages if code in ("id", "ms")
                             for verb in table["inverted"].get(code, ()) if not verb.endswith("nya"))
    return cues


@lru_cache(maxsize=1)
def speech_verb_languages() -> frozenset[str]:
    """The languages ``speech_verbs.json`` has speech verbs of; any other reads all of theirs."""
    table = load("speech_verbs")
    return frozenset(table["verbs"]) | frozenset(table["inverted"])


@lru_cache(maxsize=1)
def person_title_words() -> frozenset[str]:
    """The words of titles before a person's name, as written: heads ("Presiden", "Menteri") and the
    words of offices they combine with ("Luar", "Negeri"), from ``person_titles.json``."""
    titles = load("person_titles")
    return frozenset(titles["heads"]) | frozenset(titles["modifiers"])

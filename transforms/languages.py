"""Language codes as BCP 47 primary subtags: ISO 639-1 where a language has one, else ISO 639-3.

The language detector (py3langid) answers in a mix of schemes: two-letter codes for most languages,
three-letter ones for the rest ("yue" Cantonese, "gcf", "lij"), and "zxx" (no linguistic content) for
a page of numbers. BCP 47 says which form to store: the two-letter code when ISO 639-1 has one
("ind" -> "id", "ger" -> "de"), else the ISO 639-3 code; ISO 639's special codes (zxx, und, mis,
mul) name no language, so they become null. The code list is pycountry's (ISO 639-3, offline).
"""
from __future__ import annotations

from functools import lru_cache

import pycountry

# Two-letter codes withdrawn from ISO 639-1 that pages and old tools still write (BCP 47 maps them).
_DEPRECATED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_SPECIAL_SCOPE = "S"   # ISO 639-3 scope of zxx, und, mis, mul: not a language


@lru_cache(maxsize=1)
def _subtags() -> dict[str, str]:
    """Every code a page or detector may write (639-1, 639-2/B, 639-3) -> its BCP 47 primary subtag."""
    table: dict[str, str] = {}
    for language in pycountry.languages:
        if getattr(language, "scope", None) == _SPECIAL_SCOPE:
            continue
        subtag = getattr(language, "alpha_2", None) or language.alpha_3
        for code in (language.alpha_3, getattr(language, "alpha_2", None), getattr(language, "bibliographic", None)):
            if code:
                table[code] = subtag
    for old, new in _DEPRECATED.items():
        table[old] = new
    return table


@lru_cache(maxsize=1)
def language_subtags() -> frozenset[str]:
    """The codes ``articles.language`` and ``sources.language`` may hold."""
    return frozenset(_subtags().values())


def language_subtag(code: str | None) -> str | None:
    """The BCP 47 primary subtag of ``code`` ("ind" -> "id", "yue" -> "yue", "id-ID" -> "id"), or
    None for no language ("zxx"), an unknown code or nothing."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].strip().lower()
    return _subtags().get(primary)

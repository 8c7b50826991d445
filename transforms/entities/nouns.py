"""Capitalised words that are common nouns, in languages where capitals say little.

German and Luxembourgish capitalise every noun, and they and Dutch write long compound nouns as one
word ("Hoogwaterbeschermingsprogramma", "Bundesverfassungsgericht"): the default that an unknown
capitalised name is a person typed such nouns PERSON on German and Dutch pages. A name the rules have
no evidence for is a common noun there when a word of it is a compound longer than a surname gets, when
it follows an article that never opens a person's name ("het Rijk"), or, where every noun is
capitalised, when no given name is followed by a capitalised word in it ("Handeln Leben", "Ende des
Jahres"; "Olaf Scholz" and, with its leading noun, "CDU-Mann Wolfgang Schäuble" stay).
"""
from __future__ import annotations

from functools import lru_cache

from transforms.entities.context import Candidate, Context
from transforms.lexicons import is_given_name, load

# Every noun capitalised: a lone capitalised word is no evidence of a name.
_CAPITALISED_NOUN_LANGUAGES = frozenset({"de", "lb"})
_COMPOUNDING_LANGUAGES = _CAPITALISED_NOUN_LANGUAGES | {"nl", "da", "sv", "no", "nb", "nn", "af"}
# Letters from which an unhyphenated word is a compound noun, not a surname: "Schwarzenegger" and
# "Vandenbroucke" have 13 and 14, compounds such as "Hochwasserschutz" 16 and more.
_COMPOUND_LETTERS = 15


@lru_cache(maxsize=1)
def _articles() -> dict[str, frozenset[str]]:
    return {language: frozenset(listed) for language, listed in load("common_words")["noun_articles"].items()}


def is_common_noun(ctx: Context, candidate: Candidate, key: str) -> bool:
    """Whether the name ``key`` of ``candidate``, which no rule typed, is a common noun (module notes);
    in any language, a single word the article also writes in lower case is one."""
    parts = key.split()
    if len(parts) == 1 and (ctx.language in _CAPITALISED_NOUN_LANGUAGES or key.lower() in ctx.lower_words):
        return True
    if ctx.language not in _COMPOUNDING_LANGUAGES:
        return False
    if any(len(part) >= _COMPOUND_LETTERS and part.isalpha() for part in parts):
        return True
    before = ctx.tokens[candidate.first - 1] if candidate.first else None
    if before is not None and ctx.tokens[candidate.first].joined and before.fold in _articles().get(ctx.language, ()):
        return True
    return ctx.language in _CAPITALISED_NOUN_LANGUAGES and not any(
        part[:1].isupper() and following[:1].isupper() and is_given_name(part.split("-")[0])
        for part, following in zip(parts, parts[1:]))

"""Type evidence from the words around a name, for candidates the splitting rules left untyped.

Order of strength: a speech verb beside the name makes a PERSON ("kata Tokayev", "Biden said");
a lower-case classifier noun a place or an organisation ("Jolo island", "Penrith resident",
"power distributor Listrik Nusantara"); a locative preposition of the article's language a place
("di Bekasi", "in the Midlands", "près d'Annecy"), as does being a word the whole article names
as a place ("Kabupaten Mamuju" … "Mamuju").
"""
from __future__ import annotations

import re
from functools import lru_cache

from transforms.entities.context import Candidate, Context
from transforms.lexicons import speech_verbs

# A French or Italian article or preposition elided before a name: "d'Annecy", "l'Isère".
_ELIDED = re.compile(r"[ \t]+([dl])['’]")
_ELIDED_FORMS = {"d": "de", "l": "la"}


def before_classifier(ctx: Context, stop: int, nouns: frozenset[str]) -> bool:
    """The name ends right before one of ``nouns`` in lower case ("Jolo island", "X coalition")."""
    return stop < len(ctx.tokens) and ctx.tokens[stop].joined and ctx.tokens[stop].text in nouns


def with_neighbour_evidence(ctx: Context, candidate: Candidate) -> Candidate:
    """Type evidence from the words around a name: a speech verb makes a PERSON ("kata Tokayev",
    "Tokayev menegaskan", "Biden said"); a lower-case classifier noun a place or an organisation
    ("Penrith resident", "distributor Listrik Nusantara"); a locative preposition, with an article
    between or not, a place ("di Bekasi", "in the Midlands", "à La Clusaz", "in the West Midlands"),
    as does being a word the article names as a place elsewhere ("Kabupaten Mamuju" … "Mamuju")."""
    verbs_after_name, verbs_before_name = speech_verb_sets(ctx.language)
    tokens = ctx.tokens
    before = tokens[candidate.first - 1] if candidate.first > 0 and tokens[candidate.first].joined else None
    after = tokens[candidate.stop] if candidate.stop < len(tokens) and tokens[candidate.stop].joined else None
    if (after and after.fold in verbs_after_name) or (before and before.fold in verbs_before_name):
        return candidate._replace(type="PERSON", evidence="verb")
    if before_classifier(ctx, candidate.stop, ctx.words.loc_after):
        return candidate._replace(type="LOC", evidence="noun")
    if before and before.text in ctx.words.org_before:
        return candidate._replace(type="ORG", evidence="noun")
    single = candidate.stop - candidate.first == 1
    opening = tokens[candidate.first]
    if (single or opening.fold in ctx.words.articles or opening.text in ctx.words.compass_prefixes) \
            and _after_locative(ctx, candidate.first):
        return candidate._replace(type="LOC", evidence="place")
    if single and tokens[candidate.first].text in ctx.article.places:
        return candidate._replace(type="LOC", evidence="place")
    return candidate


def _after_locative(ctx: Context, first: int) -> bool:
    """A locative word right before token ``first``, or before an article right before it; an
    elided word counts ("près d'Annecy", "de l'Isère")."""
    for word in _words_before(ctx, first):
        if word in ctx.locatives:
            return True
        if word not in ctx.words.articles:
            return False
    return False


def _words_before(ctx: Context, first: int) -> list[str]:
    """Up to two words before token ``first``, nearest first, casefolded; an elided word ("d'",
    "l'") in its full form; "" for a capitalised word inside a sentence (a name, not a preposition)."""
    found: list[str] = []
    index = first
    while index > 0 and len(found) < 2:
        previous, current = ctx.tokens[index - 1], ctx.tokens[index]
        elided = _ELIDED.fullmatch(ctx.text, previous.end, current.start)
        if elided:
            found.append(_ELIDED_FORMS[elided.group(1).lower()])
        elif not current.joined:
            break
        found.append(previous.fold if previous.text.islower() or previous.weak else "")
        index -= 1
    return found[:2]


@lru_cache(maxsize=64)
def speech_verb_sets(language: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Reporting verbs that follow a speaker ("Biden said") and those that may precede one ("kata Tokayev")."""
    cues = speech_verbs(language)
    return frozenset(cues["verbs"]), frozenset(cues["inverted"] + cues["verbs"])

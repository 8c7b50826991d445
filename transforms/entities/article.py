"""What the whole article says about a name, which a single run cannot see.

- A word the article names as a place elsewhere ("di Mamuju", "Kabupaten Mamuju") is a place inside
  a title too ("Bupati Mamuju | Muhammad Yasin"), and wherever it stands alone.
- A word the article uses alone for a person ("kata Tahir") ends the institution before it ("General
  Manager PT Terminal Petikemas Celebes | Arman Tahir").
- Names listed with places are places ("llegados de Barbate, Conil y Tarifa").
The first two need a second look at the runs that hold such a word, with ``Context.article`` set.
"""
from __future__ import annotations

import re

from transforms.entities.context import ArticleNames, Candidate, Context
from transforms.entities.tokens import CONJUNCTIONS

# Evidence that shows a place on its own, which a listed name can borrow.
_PLACE_EVIDENCE = ("gazetteer", "head", "noun", "place")
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*|,?[ \t]+(?:" + "|".join(sorted(CONJUNCTIONS)) + r")[ \t]+)")


def article_names(ctx: Context, candidates: list[Candidate]) -> ArticleNames:
    """Single words named as places after a locative word or inside an administrative name
    ("Kecamatan Simboro" -> Simboro), and single words typed as a person by a title or a speech verb."""
    places, surnames = set(), set()
    for candidate in candidates:
        words = [t.text for t in ctx.tokens[candidate.first:candidate.stop]]
        if candidate.type == "LOC" and candidate.evidence == "place" and len(words) == 1:
            places.add(words[0])
        elif candidate.type == "LOC" and candidate.evidence == "head" \
                and (words[0] in ctx.words.administrative or words[-1] in ctx.words.administrative):
            inner = [word for word in words if word not in ctx.words.administrative]
            if len(inner) == 1 and ctx.match(candidate.first + words.index(inner[0]), candidate.stop) is None:
                places.add(inner[0])
        elif candidate.type == "PERSON" and candidate.evidence in ("title", "verb") and len(words) == 1:
            surnames.add(words[0])
    return ArticleNames(frozenset(places), frozenset(surnames - places))


def needs_second_look(ctx: Context, run: range) -> bool:
    """Whether a run holds a word that ``Context.article`` knows about."""
    names = ctx.article
    return any(ctx.tokens[k].text in names.places or ctx.tokens[k].text in names.surnames for k in run)


def coordinated_places(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """Single words with no evidence in a list ("A, B and C", "A y B") whose typed members are all
    places become places. A comma alone makes no list: "asal Gowa, Syamsul Bahri" is an apposition."""
    result = list(candidates)
    group: list[int] = []
    for index, candidate in enumerate(result):
        gap = _LIST_GAP.fullmatch(ctx.text, result[index - 1].end, candidate.start) if group else None
        if gap is None:
            group = [index]
            continue
        group.append(index)
        if gap.group().strip(" \t,"):   # the conjunction closes the list
            _type_as_places(result, group)
            group = []
    return result


def _type_as_places(candidates: list[Candidate], members: list[int]) -> None:
    typed = [candidates[k] for k in members if candidates[k].evidence]
    if typed and all(c.type == "LOC" and c.evidence in _PLACE_EVIDENCE for c in typed):
        for k in members:
            if not candidates[k].evidence and candidates[k].stop - candidates[k].first == 1:
                candidates[k] = candidates[k]._replace(type="LOC", evidence="place")

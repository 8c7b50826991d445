"""From candidates to entity mentions: one name, one type and one id per entity in an article.

Runs holding a word that the whole article types (a place, a surname: ``article``) are split a
second time with that knowledge, and names listed with places become places. Then three
article-level steps that single runs cannot take:
- an acronym in parentheses after a name is the same entity ("Organisasi Perjanjian Keamanan
  Kolektif (CSTO)"), as is a short name with the organisation's first letter ("Instituto Nacional
  de Meteorologia (Inmet)"); organisations are then named by the acronym, which is stable across
  languages, and every later "CSTO" is the same entity;
- a part of a full person name elsewhere in the article ("Tokayev", "Presiden Tokayev") links to
  the full name ("Kassym-Jomart Tokayev"), preferring the nearest earlier mention;
- every mention of one name gets the type with the strongest evidence (``EVIDENCE_ORDER``); names
  with none are PERSON, unless written in camel case ("WowKeren": ORG). Names seen only at
  sentence or headline starts are kept only when the article supports them elsewhere.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from collections.abc import Iterator

from transforms.entities.article import article_names, coordinated_places, needs_second_look
from transforms.entities.context import EVIDENCE_ORDER, Candidate, Context
from transforms.entities.gazetteer import Entry
from transforms.entities.nouns import is_common_noun
from transforms.entities.segment import split_run
from transforms.entities.spans import name_runs
from transforms.entities.tokens import Token, is_camel_case, tokenise
from transforms.identity import entity_id, entity_key
from transforms.lexicons import primary_language

# "(CSTO)" after an organisation, "(Jokowi)" after a person: another name for the same entity.
_NAME_IN_PARENTHESES = re.compile(r"[ \t]*\([ \t]*([^\W\d_][\w&.\-]{1,15})[ \t]*\)")
_EVIDENCE_TYPE = {"title": "PERSON", "verb": "PERSON", "acronym": "ORG", "place": "LOC"}


@dataclass(frozen=True)
class EntityMention:
    entity_id: str
    name: str
    type: str
    country_code: str | None
    start_offset: int
    end_offset: int
    surface: str
    method: str


def rule_mentions(text: str, language: str | None, tokens: list[Token] | None = None) -> list[tuple[EntityMention, str]]:
    """The rule system's PERSON, ORG and LOC mentions in ``text``, sorted by offset and
    non-overlapping, each with the evidence that settled its name's type (``EVIDENCE_ORDER``);
    ``tokens`` are ``tokenise(text)`` when the caller has them already."""
    if not text:
        return []
    ctx = Context.of(text, tokenise(text) if tokens is None else tokens, primary_language(language))
    candidates, aliases = _pair_acronyms(text, coordinated_places(ctx, _candidates(ctx)))
    named = _link_person_parts([_named(text, c, aliases) for c in candidates])
    return sorted(_mentions(ctx, named), key=lambda pair: pair[0].start_offset)


def find_rule_entities(text: str, language: str | None) -> list[EntityMention]:
    """PERSON, ORG and LOC mentions found by the rules alone (no model), sorted by offset and
    non-overlapping (``text[start_offset:end_offset] == surface``)."""
    return [mention for mention, _ in rule_mentions(text, language)]


def _candidates(ctx: Context) -> list[Candidate]:
    """Candidates of every run; runs holding a word the whole article types (``article``) are split
    again with that knowledge."""
    spans = name_runs(ctx)
    found = [split_run(ctx, run) for run in spans]
    names = article_names(ctx, [c for run in found for c in run])
    if names.places or names.surnames:
        ctx = replace(ctx, article=names)
        found = [split_run(ctx, run) if needs_second_look(ctx, run) else first for run, first in zip(spans, found)]
    return [c for run in found for c in run]


def _mentions(ctx: Context, named: list[tuple[Candidate, str]]) -> Iterator[tuple[EntityMention, str]]:
    """Mentions of the named candidates, each with its name's settled entry. A name seen only in
    weak positions is dropped unless a speech verb or title backs it, though its words that the
    article names elsewhere are kept. A name with no evidence that is a common noun (``nouns``: a
    single word the article also writes in lower case, "assessore alla Mobilità" beside "mobilità";
    German and Dutch compounds and nouns) is dropped."""
    best = _strongest_per_name(named)
    entries = {key: c.entry or Entry(key, _type_of(c, key), None, False) for key, c in best.items()}
    supported = {key: entries[key] for candidate, key in named if not candidate.weak}
    for candidate, key in named:
        if not best[key].evidence and is_common_noun(ctx, candidate, key):
            continue
        if candidate.weak and key not in supported and candidate.evidence not in ("gazetteer", "title", "verb", "noun"):
            for part, part_key in _supported_parts(ctx, candidate, supported):
                yield _mention(ctx.text, part, entries[part_key], best[part_key]), best[part_key].evidence
        else:
            for piece in _pieces(candidate):
                yield _mention(ctx.text, piece, entries[key], best[key]), best[key].evidence


def _pieces(candidate: Candidate) -> list[Candidate]:
    """A paired name's two names as separate mentions of one entity ("Organisasi Perjanjian Keamanan
    Kolektif" and "CSTO"), so every mention is a name and never spans the parentheses."""
    return [candidate._replace(start=start, end=end, parts=()) for start, end in candidate.parts] or [candidate]


def _pair_acronyms(text: str, candidates: list[Candidate]) -> tuple[list[Candidate], dict[str, Entry]]:
    """Merge "Long Name (ACRONYM)" and "Full Name (Nickname)" into one candidate; returns the
    candidates and, per short name, the entry that later bare mentions of it take."""
    merged: list[Candidate] = []
    aliases: dict[str, Entry] = {}
    index = 0
    while index < len(candidates):
        candidate = candidates[index]
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        paired = _NAME_IN_PARENTHESES.match(text, candidate.end)
        if paired and following and following.start == paired.start(1) and following.end == paired.end(1) \
                and candidate.stop - candidate.first > 1 and not candidate.weak \
                and (following.evidence in ("acronym", "gazetteer") or candidate.type == "PERSON"
                     or _is_short_name(text, candidate, following)):
            candidate = candidate._replace(end=paired.end(), stop=following.stop,
                                parts=((candidate.start, candidate.end), (paired.start(1), paired.end(1))),
                                **_pair_entry(text, candidate, following, paired.group(1)))
            aliases[paired.group(1)] = candidate.entry
            index += 1
        merged.append(candidate)
        index += 1
    return merged, aliases


def _is_short_name(text: str, organisation: Candidate, short: Candidate) -> bool:
    """"Instituto Nacional de Meteorologia (Inmet)": an untyped word in parentheses after an
    organisation, with the organisation's first letter, is its short name."""
    return organisation.type == "ORG" and not short.evidence and text[short.start] == text[organisation.start]


def _pair_entry(text: str, expansion: Candidate, acronym: Candidate, letters: str) -> dict:
    """Type, evidence and entry of a paired name: a known side wins ("Perserikatan Bangsa-Bangsa
    (PBB)" is the United Nations); a person keeps the full name ("… Yudhoyono (SBY)"); anything
    else is an ORG named by its acronym, or a LOC when a place head made it one."""
    known = expansion.entry if expansion.evidence == "gazetteer" else acronym.entry
    if known:
        return {"type": known.type, "evidence": "gazetteer", "entry": known}
    if expansion.type == "PERSON":
        name = " ".join(text[expansion.start:expansion.end].split())
        return {"evidence": expansion.evidence or "pair", "entry": Entry(name, "PERSON", None, False)}
    type_ = expansion.type if expansion.type == "LOC" else "ORG"
    country = expansion.entry.country_code if expansion.entry else None
    return {"type": type_, "evidence": "pair", "entry": Entry(letters, type_, country, False)}


def _named(text: str, candidate: Candidate, aliases: dict[str, Entry]) -> tuple[Candidate, str]:
    """The candidate with its name key (canonical name); a short name paired earlier takes the pair's entry."""
    surface = text[candidate.start:candidate.end]
    if candidate.evidence != "gazetteer" and surface in aliases:
        candidate = candidate._replace(type=aliases[surface].type, evidence="pair", entry=aliases[surface])
    return candidate, candidate.entry.name if candidate.entry else " ".join(surface.split())


def _link_person_parts(named: list[tuple[Candidate, str]]) -> list[tuple[Candidate, str]]:
    """"Tokayev" -> "Kassym-Jomart Tokayev": a name whose words are a run of words of a longer
    person name takes that name (the nearest earlier one, else the first later one), also after a
    locative word ("de Verstappen", "from Epstein")."""
    people_by_word: dict[str, dict[str, list[int]]] = {}   # word -> full name -> starts, in text order
    for c, key in named:
        if not c.weak and c.evidence != "gazetteer" and len(key.split()) > 1 and _type_of(c, key) == "PERSON":
            for word in set(key.split()):
                people_by_word.setdefault(word, {}).setdefault(key, []).append(c.start)
    linked = []
    for candidate, key in named:
        if candidate.entry is None and candidate.evidence in ("", "title", "verb", "place"):
            full = nearest_full_name(key, candidate.start, people_by_word.get(key.split()[0], {}))
            if full:
                key = full
                candidate = candidate._replace(type="PERSON", evidence=candidate.evidence or "title")
        linked.append((candidate, key))
    return linked


def nearest_full_name(name: str, start: int, people: dict[str, list[int]]) -> str | None:
    """The longer person name ``name`` is part of, among ``people`` (full name -> sorted starts):
    the one mentioned last before ``start``, else the first one mentioned after it."""
    earlier: tuple[int, str] | None = None
    later: tuple[int, str] | None = None
    for full, starts in people.items():
        if full == name or not is_name_part(name, full):
            continue
        before = bisect_left(starts, start)
        if before and (earlier is None or starts[before - 1] > earlier[0]):
            earlier = (starts[before - 1], full)
        if later is None or starts[0] < later[0]:
            later = (starts[0], full)
    return (earlier or later)[1] if earlier or later else None


def is_name_part(key: str, full: str) -> bool:
    part = key.split()
    if part and part[0] not in full:   # most pairs of names: no need to split the longer one
        return False
    whole = full.split()
    return all(len(word) > 1 for word in part) and any(
        whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _type_of(candidate: Candidate, key: str) -> str:
    """The candidate's type, else its evidence's, else PERSON: unknown capitalised names in news are
    mostly people ("Jokowi", "Ruhut"); a camel-case word is a brand or outlet ("WowKeren", "YouTube")."""
    if candidate.type:
        return candidate.type
    if candidate.evidence in _EVIDENCE_TYPE:
        return _EVIDENCE_TYPE[candidate.evidence]
    return "ORG" if " " not in key and is_camel_case(key) else "PERSON"


def _strongest_per_name(named: list[tuple[Candidate, str]]) -> dict[str, Candidate]:
    """Per name key, the mention with the strongest type evidence: it decides the entity's type,
    entry and method for all mentions of the name."""
    best: dict[str, Candidate] = {}
    for candidate, key in named:
        current = best.get(key)
        if current is None or EVIDENCE_ORDER.index(candidate.evidence) < EVIDENCE_ORDER.index(current.evidence):
            best[key] = candidate
    return best


def _supported_parts(ctx: Context, candidate: Candidate, supported: dict[str, Entry]) -> list[tuple[Candidate, str]]:
    """Single words of an unsupported headline or sentence-start name that the article names
    elsewhere ("Tokayev" in the headline "Tokayev Pecat Kepala Badan …")."""
    parts = []
    for index in range(candidate.first, candidate.stop):
        word = ctx.tokens[index].text
        key = word if word in supported else next(
            (k for k, entry in supported.items() if entry.type == "PERSON" and is_name_part(word, k)), None)
        if key:
            parts.append((ctx.candidate(index, index + 1, supported[key].type, "", None), key))
    return parts


def _mention(text: str, candidate: Candidate, entry: Entry, strongest: Candidate) -> EntityMention:
    key = entity_key(entry.name, entry.country_code, is_country=entry.is_country)
    return EntityMention(entity_id=entity_id(entry.type, key), name=entry.name, type=entry.type,
                         country_code=entry.country_code, start_offset=candidate.start, end_offset=candidate.end,
                         surface=text[candidate.start:candidate.end],
                         method="gazetteer" if strongest.evidence == "gazetteer" else "rules")

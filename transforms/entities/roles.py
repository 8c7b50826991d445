"""Two words around a name that decide what it names, for every language and method.

- An occupation before an organisation is the person's, not the organisation's: the Indonesian
  model reads "Ekonom Universitas Indonesia" and "Pengamat Universitas Gadjah Mada" as one
  organisation. Leading occupation words (``person_titles.json`` "occupations", with the words of
  their field after them: "Pengamat Politik") are cut off.
- A facility head before a name makes the whole a place or institution (``organisation_heads.json``
  "facilities"): the model reads "Bandara Soekarno-Hatta" as the person "Soekarno-Hatta", or as a
  place without its head. The head joins the name, the whole takes the head's type, and the
  article's other mentions of the name read as a person ("tiba di Soekarno-Hatta") are the same
  facility (model 0.4.0 reads "Bandara Sultan Hasanuddin" whole but the bare "Sultan Hasanuddin" as a
  person).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from transforms.entities.finder import EntityMention
from transforms.identity import entity_id, entity_key
from transforms.lexicons import load


def named(type_: str, name: str, start: int, end: int, surface: str, method: str) -> EntityMention:
    """A mention of the entity of type ``type_`` called ``name``."""
    return EntityMention(entity_id(type_, entity_key(name, None, is_country=False)), name, type_, None, start, end,
                         surface, method)


@lru_cache(maxsize=1)
def _occupation() -> re.Pattern[str]:
    """Leading occupation words with their fields ("Pengamat Politik") and the spaces after them."""
    titles = load("person_titles")
    occupations, fields = ("|".join(map(re.escape, sorted(titles[key], key=len, reverse=True)))
                           for key in ("occupations", "occupation_fields"))
    return re.compile(rf"(?:(?:{occupations})[ \t]+(?:(?:{fields})[ \t]+)*)+")


@lru_cache(maxsize=1)
def _facility_heads() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """A facility head ending right before a name, one starting a name (spaces after each), and each
    head's type."""
    types = {head: type_ for type_, heads in load("organisation_heads")["facilities"].items() for head in heads}
    alternatives = "|".join(map(re.escape, sorted(types, key=len, reverse=True)))
    return re.compile(rf"(?<![\w-])({alternatives})[ \t]+$"), re.compile(rf"({alternatives})[ \t]+"), types


def without_occupation(mention: EntityMention) -> EntityMention:
    """An organisation or place without the occupation words it starts with ("Ekonom Universitas
    Indonesia" -> "Universitas Indonesia"); a name that is nothing else stays."""
    cut = _occupation().match(mention.surface) if mention.type in ("ORG", "LOC") else None
    if cut is None or cut.end() == len(mention.surface):
        return mention
    surface = mention.surface[cut.end():]
    name = " ".join(surface.split()) if mention.method != "gazetteer" else mention.name
    return named(mention.type, name, mention.start_offset + cut.end(), mention.end_offset, surface, mention.method)


def facilities_joined(text: str, mentions: list[EntityMention],
                      speaks: Callable[[EntityMention], bool]) -> list[EntityMention]:
    """``mentions`` (sorted, apart) with every name right after a facility head, and every person
    whose name starts with one, made the facility; a person ``speaks`` beside a speech verb stays
    ("Imam Besar Masjid Istiqlal Nasaruddin Umar menuturkan"). The article's other mentions of the
    facility's name after the head read as a person ("keluar dari Sultan Hasanuddin") are the facility
    too, unless they speak."""
    heads, leading, types = _facility_heads()
    joined: list[EntityMention] = []
    facility_of: dict[str, EntityMention] = {}   # a name as written after the head -> the facility
    for mention in mentions:
        previous_end = joined[-1].end_offset if joined else 0
        line_start = text.rfind("\n", previous_end, mention.start_offset) + 1
        head = heads.search(text, max(line_start, previous_end, mention.start_offset - 40), mention.start_offset)
        if head is None and joined and joined[-1].surface in types and heads.search(
                text, joined[-1].start_offset, mention.start_offset):
            head = heads.search(text, joined.pop().start_offset, mention.start_offset)   # the head alone, read apart
        inside = leading.match(mention.surface)
        if mention.type != "PERSON":   # a facility the model read whole names the facility when bare too
            if inside is not None and inside.end() < len(mention.surface):
                facility_of.setdefault(" ".join(mention.surface[inside.end():].split()), mention)
            inside = None
        if mention.type == "PERSON" and speaks(mention):
            head = inside = None
        if head is not None:
            start, type_, bare = head.start(1), types[head.group(1)], mention.surface
        elif inside is not None and inside.end() < len(mention.surface):
            start, type_, bare = mention.start_offset, types[inside.group(1)], mention.surface[inside.end():]
        else:
            joined.append(mention)
            continue
        surface = text[start:mention.end_offset]
        facility = named(type_, " ".join(surface.split()), start, mention.end_offset, surface, mention.method)
        if mention.type == "PERSON":
            facility_of.setdefault(" ".join(bare.split()), facility)
        joined.append(facility)
    return [replace(facility_of[" ".join(m.surface.split())], start_offset=m.start_offset, end_offset=m.end_offset,
                    surface=m.surface, method=m.method)
            if m.type == "PERSON" and " ".join(m.surface.split()) in facility_of and not speaks(m) else m
            for m in joined]

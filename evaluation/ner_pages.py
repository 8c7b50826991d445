"""NER gold sentences as small news pages, scored on what `kabar run` stores.

`kabar eval ner` scores the recognition model on each gold sentence's text. This module measures what
users get: the same sentences written as web pages go through extraction, the entity stage (model
plus normalisation and linking) and the warehouse; stored mentions are mapped onto the gold tokens
and compared with the gold spans, so text lost in extraction or spans changed by the rules count
against Kabar.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from evaluation.ner import Sentence, score_spans, to_token_span, token_offsets
from transforms.identity import country_entity_id
from warehouse.io import connect

_TYPES = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC"}
CharSpan = tuple[int, int, str]  # character start, end, type


@dataclass(frozen=True)
class GoldPage:
    file_name: str
    sentences: tuple[Sentence, ...]


def write_pages(sentences: list[Sentence], folder: Path, per_page: int = 10, language: str = "id") -> list[GoldPage]:
    """One HTML page per ``per_page`` sentences, a paragraph each (tokens joined by spaces)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for number, first in enumerate(range(0, len(sentences), per_page)):
        group = tuple(sentences[first:first + per_page])
        name = f"ner-page-{number:04d}.html"
        body = "".join(f"<p>{html.escape(s.text)}</p>\n" for s in group)
        (folder / name).write_text(
            f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>Berita {number}</title>"
            f"</head><body><article>\n{body}</article></body></html>", encoding="utf-8")
        pages.append(GoldPage(name, group))
    return pages


def score_warehouse(pages: list[GoldPage], warehouse: Path, *, count_untagged_countries: bool = True) -> dict:
    """Typed exact-span scores of the stored mentions against the pages' gold spans, in gold tokens
    (a stored mention is mapped onto the gold tokens it touches, as ``kabar eval ner`` maps the
    model's spans). A sentence extraction lost keeps its gold spans, unmatched; a mention outside
    every sentence, or across two, counts as a false positive.

    ``count_untagged_countries=False`` sets aside country mentions that match no gold span:
    idner-news-2k leaves most country names untagged ("Israel" is O 28 times and LOC 9 times in
    train) while Kabar records every country, so this isolates what the convention costs."""
    con = connect(warehouse, read_only=True)
    try:
        texts = {Path(origin).name: (article_id, text) for origin, article_id, text in
                 con.execute("select origin, article_id, text from articles").fetchall()}
        mentions: dict[str, list[CharSpan]] = {}
        countries: set[tuple[str, int, int]] = set()
        for article_id, start, end, kind, entity, country_code in con.execute(
                "select m.article_id, m.start_offset, m.end_offset, e.type, e.entity_id, e.country_code "
                "from entity_mentions m join entities e using (article_id, entity_id)").fetchall():
            if kind in _TYPES:
                mentions.setdefault(article_id, []).append((start, end, _TYPES[kind]))
                if country_code and entity == country_entity_id(country_code):
                    countries.add((article_id, start, end))
    finally:
        con.close()
    gold, predicted = [], []
    for page in pages:
        article_id, text = texts.get(page.file_name, (None, ""))
        placed, cursor = [], 0   # (sentence index, its offset in the stored text) of each sentence found
        for index, sentence in enumerate(page.sentences):
            found = text.find(sentence.text, cursor)
            if found >= 0:
                placed.append((index, found))
                cursor = found + len(sentence.text)
        gold.append([(index, *span) for index, sentence in enumerate(page.sentences) for span in sentence.spans])
        tagged = set(gold[-1])
        keys = [(_in_sentence(page, placed, *mention), (article_id, *mention[:2]) in countries)
                for mention in mentions.get(article_id, [])]
        predicted.append([key for key, is_country in keys
                          if count_untagged_countries or not is_country or key in tagged])
    return score_spans(gold, predicted)


def _in_sentence(page: GoldPage, placed: list[tuple[int, int]], start: int, end: int, kind: str):
    """``(sentence index, first token, end token, type)`` of a stored mention, or an unmatched key."""
    for index, offset in placed:
        sentence = page.sentences[index]
        if offset <= start and end <= offset + len(sentence.text):
            return (index, *to_token_span(token_offsets(sentence), start - offset, end - offset, kind))
    return (-1, start, end, kind)

"""NER gold sentences as small news pages, scored on what `kabar run` stores.

`kabar eval ner` scores the recognition model on gold tokens. This module measures what users get:
the same sentences written as web pages go through extraction, the entity stage (model plus
normalisation and linking) and the warehouse; stored mentions are compared with the gold spans by
character offsets, so text lost in extraction or spans changed by linking count against Kabar.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from evaluation.ner import Sentence, score_spans
from warehouse.io import connect

_TYPES = {"PERSON": "PER", "ORG": "ORG", "LOC": "LOC"}
CharSpan = tuple[int, int, str]


@dataclass(frozen=True)
class GoldPage:
    file_name: str
    sentences: tuple[str, ...]
    spans: tuple[tuple[CharSpan, ...], ...]  # per sentence, character offsets within it


def sentence_text_and_spans(sentence: Sentence) -> tuple[str, tuple[CharSpan, ...]]:
    """The sentence as tokens joined by spaces, and its gold spans as character offsets."""
    starts, position = [], 0
    for token in sentence.tokens:
        starts.append(position)
        position += len(token) + 1
    text = " ".join(sentence.tokens)
    spans = tuple((starts[start], starts[end - 1] + len(sentence.tokens[end - 1]), kind)
                  for start, end, kind in sentence.spans)
    return text, spans


def write_pages(sentences: list[Sentence], folder: Path, per_page: int = 10, language: str = "id") -> list[GoldPage]:
    """One HTML page per ``per_page`` sentences, a paragraph each."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for number, first in enumerate(range(0, len(sentences), per_page)):
        texts, spans = zip(*(sentence_text_and_spans(s) for s in sentences[first:first + per_page]))
        name = f"ner-page-{number:04d}.html"
        body = "".join(f"<p>{html.escape(text)}</p>\n" for text in texts)
        (folder / name).write_text(
            f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>Berita {number}</title>"
            f"</head><body><article>\n{body}</article></body></html>", encoding="utf-8")
        pages.append(GoldPage(name, texts, spans))
    return pages


def score_warehouse(pages: list[GoldPage], warehouse: Path) -> dict:
    """Typed exact-span scores of the stored mentions against the pages' gold spans."""
    con = connect(warehouse, read_only=True)
    try:
        texts = {Path(origin).name: (article_id, text) for origin, article_id, text in
                 con.execute("select origin, article_id, text from articles").fetchall()}
        mentions: dict[str, list[CharSpan]] = {}
        for article_id, start, end, kind in con.execute(
                "select m.article_id, m.start_offset, m.end_offset, e.type from entity_mentions m "
                "join entities e using (article_id, entity_id)").fetchall():
            if kind in _TYPES:
                mentions.setdefault(article_id, []).append((start, end, _TYPES[kind]))
    finally:
        con.close()
    gold, predicted = [], []
    for page in pages:
        article_id, text = texts.get(page.file_name, (None, ""))
        page_gold, cursor = [], 0
        for sentence, spans in zip(page.sentences, page.spans):
            found = text.find(sentence, cursor)
            offset = found if found >= 0 else -10**9  # a lost sentence's spans match nothing
            cursor = found + len(sentence) if found >= 0 else cursor
            page_gold.extend((offset + start, offset + end, kind) for start, end, kind in spans)
        gold.append(page_gold)
        predicted.append(mentions.get(article_id, []))
    return score_spans(gold, predicted)

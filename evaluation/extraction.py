"""Extraction quality on the gold corpora: body F1 (Kabar vs raw trafilatura) and Fundus metadata."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, UTC

import trafilatura

from evaluation.corpora import GoldPage
from evaluation.scoring import BodyScore, score_bodies
from transforms.documents import decode_html, document_id
from transforms.extract import TRAFILATURA_OPTIONS, ExtractedArticle, process_document


def kabar_extract(page: GoldPage) -> ExtractedArticle | None:
    """Kabar's extraction stage on one gold page (None when Kabar rejects it)."""
    data = page.read_bytes()
    result = process_document(data, document_id=document_id(data), origin=str(page.path), url=page.url)
    return result if isinstance(result, ExtractedArticle) else None


def trafilatura_text(page: GoldPage) -> str | None:
    """Raw trafilatura with Kabar's options, the baseline Kabar must not fall below."""
    document = trafilatura.bare_extraction(decode_html(page.read_bytes()), url=page.url, with_metadata=True,
                                           **TRAFILATURA_OPTIONS)
    return document.text if document is not None else None


def body_scores(pages: list[GoldPage], articles: list[ExtractedArticle | None]) -> BodyScore:
    return score_bodies([(a.text if a else None, p.body) for p, a in zip(pages, articles)])


@dataclass(frozen=True)
class MetadataScore:
    title_exact: float
    author_any: float
    published_minute: float
    title_pages: int
    author_pages: int
    dated_pages: int


def metadata_scores(pages: list[GoldPage], articles: list[ExtractedArticle | None]) -> MetadataScore:
    """Share of Fundus pages with the exact title, ≥ 1 right author, and the time right to the minute
    (pages whose gold time has a zone)."""
    titles = [(p, a) for p, a in zip(pages, articles) if p.title]
    authored = [(p, a) for p, a in zip(pages, articles) if p.authors]
    dated = [(p, a) for p, a in zip(pages, articles) if p.published and _gold_time(p.published)]
    title_hits = sum(1 for p, a in titles if a and _norm(a.title) == _norm(p.title))
    author_hits = sum(1 for p, a in authored if a and {_norm(x) for x in a.authors} & {_norm(x) for x in p.authors})
    date_hits = sum(1 for p, a in dated if a and a.published_at and a.published_at_precision != "day"
                    and abs((a.published_at - _gold_time(p.published)).total_seconds()) < 60)
    share = lambda hits, group: hits / len(group) if group else 0.0  # noqa: E731
    return MetadataScore(share(title_hits, titles), share(author_hits, authored), share(date_hits, dated),
                         len(titles), len(authored), len(dated))


def _gold_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.astimezone(UTC) if value.tzinfo else None


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "")).strip().casefold()

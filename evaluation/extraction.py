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
    published_day: float = 0.0
    day_pages: int = 0
    junk_authors: int = 0
    site_name_titles: int = 0


def metadata_scores(pages: list[GoldPage], articles: list) -> MetadataScore:
    """Share of Fundus pages with the exact title, ≥ 1 right author, the publication day right (in the
    page's own offset, ``same_day``) and the time right to the minute (pages whose gold time has a
    zone); the count of authors sharing no word with any gold author of their page (the outlet, a widget
    label, a role: junk or a wrong byline) and of titles that are the site's name. ``articles`` are
    ``ExtractedArticle``s or anything with their attributes (a baseline checkout's, read back from JSON)."""
    titles = [(p, a) for p, a in zip(pages, articles) if p.title]
    authored = [(p, a) for p, a in zip(pages, articles) if p.authors]
    days = [(p, a) for p, a in zip(pages, articles) if p.published and _gold_datetime(p.published)]
    dated = [(p, a) for p, a in zip(pages, articles) if p.published and _gold_time(p.published)]
    title_hits = sum(1 for p, a in titles if a and _norm(a.title) == _norm(p.title))
    author_hits = sum(1 for p, a in authored if a and {_norm(x) for x in a.authors} & {_norm(x) for x in p.authors})
    day_hits = sum(1 for p, a in days if a and same_day(a.published_at, a.published_at_precision, p.published))
    date_hits = sum(1 for p, a in dated if a and a.published_at and a.published_at_precision != "day"
                    and abs((a.published_at - _gold_time(p.published)).total_seconds()) < 60)
    share = lambda hits, group: hits / len(group) if group else 0.0  # noqa: E731
    return MetadataScore(share(title_hits, titles), share(author_hits, authored), share(date_hits, dated),
                         len(titles), len(authored), len(dated), share(day_hits, days), len(days),
                         sum(len(_junk_authors(p, a)) for p, a in authored if a), site_name_titles(pages, articles))


def same_day(published_at: datetime | None, precision: str | None, gold: str) -> bool:
    """Whether a publication time falls on the gold's calendar day, read in the gold's own offset (a
    page published at 00:30+02:00 is on that day, though its UTC time is the day before). A day-precision
    time is the written date itself; a gold without a zone is compared with the UTC day."""
    expected = _gold_datetime(gold)
    if published_at is None or expected is None:
        return False
    if precision != "day" and expected.tzinfo is not None:
        published_at = published_at.astimezone(expected.tzinfo)
    return published_at.date() == expected.date()


def trafilatura_day(page: GoldPage) -> str | None:
    """trafilatura's own publication day for the page (htmldate inside its metadata pass), ISO."""
    document = trafilatura.bare_extraction(decode_html(page.read_bytes()), url=page.url, with_metadata=True)
    return document.date if document is not None else None


def site_name_titles(pages: list[GoldPage], articles: list) -> int:
    """Titles that are the site's name (its og:site_name or publisher, or the gold's publisher)."""
    return sum(1 for p, a in zip(pages, articles)
               if a and a.title and _letters(a.title) in {_letters(a.site_name), _letters(p.publisher)})


def _junk_authors(page: GoldPage, article) -> list[str]:
    words = {word for name in page.authors for word in _norm(name).split()}
    return [name for name in article.authors if not set(_norm(name).split()) & words]


def _gold_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _gold_time(text: str) -> datetime | None:
    value = _gold_datetime(text)
    return value.astimezone(UTC) if value is not None and value.tzinfo else None


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "")).strip().casefold()


def _letters(text: str | None) -> str | None:
    """Letters and digits only, casefolded ("Rolling Stone" = "ROLLING-STONE"); None for no text."""
    return re.sub(r"\W+", "", text.casefold()) or None if text else None

"""Two real validations published as quality pages: a clean batch, then one whose second article is too
short (a ``warn`` outcome). The unit and browser tests of ``pipeline.quality_pages`` read them."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, UTC
from pathlib import Path

import polars as pl

from expectations.validate import TableReport, validate_batch
from pipeline.quality_pages import publish
from transforms.schemas import frame

FIRST = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(hours=1)
TEXT = " ".join(f"kata{i}" for i in range(80))
SHORT = " ".join(["kata"] * 12)
SOURCE = hashlib.sha256(b"source-contoh").hexdigest()
SHORT_URL = "https://example.id/berita/2?a=1&b=<2>"   # markup-like characters: must come out escaped


def article_id(n: int) -> str:
    return hashlib.sha256(f"article-{n}".encode()).hexdigest()


def article(n: int, url: str, text: str = TEXT) -> dict:
    return {"article_id": article_id(n), "document_id": f"doc-{n}", "url": url, "source_id": SOURCE,
            "title": f"Judul {n}", "text": text, "language": "id", "published_at": FIRST - timedelta(days=1),
            "word_count": len(text.split()), "content_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "origin": "inbox", "extracted_at": FIRST, "extractor_version": "test", "cluster_id": article_id(n)}


def frames(*articles: dict) -> dict[str, pl.DataFrame]:
    source = {"source_id": SOURCE, "name": "Contoh", "domain": "example.id", "kind": "publisher", "language": "id"}
    return {"articles": frame("articles", list(articles)), "sources": frame("sources", [source])}


def clean_batch() -> dict[str, TableReport]:
    return validate_batch(frames(article(1, "https://example.id/berita/1")), now=FIRST)


def batch_with_a_warning() -> dict[str, TableReport]:
    return validate_batch(frames(article(1, "https://example.id/berita/1"), article(2, SHORT_URL, SHORT)),
                          now=SECOND)


def publish_two_runs(directory: Path, keep: int = 100) -> tuple[Path, Path]:
    """The pages of the clean run and of the run with a warning, published in that order."""
    first = publish(directory, clean_batch(), run_id="run-clean", run_time=FIRST, keep=keep)
    second = publish(directory, batch_with_a_warning(), run_id="run-warned", run_time=SECOND, keep=keep)
    assert first is not None and second is not None
    return first, second

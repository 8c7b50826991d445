"""Process one chunk of a batch: extract each new document, enrich its article, stage the frames.

This is the work that scales with the number of pages, so it is the unit Dagster spreads over
processes (``orchestration.defs.chunks``): it reads only the raw store and writes only its own
staged unit, never the warehouse. Whatever raises on one document or article becomes that
document's reject or that article's failure row; the chunk goes on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

import polars as pl

from pipeline.config import Config
from pipeline.ingest import MANIFEST_SCHEMA, NEW, TO_EXTRACT, Notices, open_raw_store
from pipeline.journal import Journal, ProcessDied
from pipeline.staging import open_staging
from transforms.batch import (articles_frame, enrichment_frames, keep_latest_versions, rejects_frame, source_frames,
                              with_publisher_ids)
from transforms.documents import Rejection
from transforms.extract import EXTRACTION_ERROR, process_document
from transforms.entities.models import use_id_model
from transforms.failures import failure, one_line
from transforms.progress import Counter
from transforms.syndication import signature_frame
from warehouse.raw_store import RawStore

# Child frames (an article's rows in ``ARTICLE_CHILDREN``, and its stage failures) carry the article's
# document_id, so the loader keeps only the children of the version it keeps.
FAILURES = "failures"


@dataclass(frozen=True)
class ChunkResult:
    """What one chunk staged."""

    unit: str
    documents: int
    articles: int
    rejects: int


def process_chunk(config: Config, manifest: pl.DataFrame, unit: str, now: datetime,
                  notices: Notices | None = None, attempt: int = 0) -> ChunkResult:
    """Extract and enrich the ``new`` documents of ``manifest`` (a slice of an ingest manifest, every
    row staged for the accounting) into staged unit ``unit``; ``attempt`` counts the step's retries
    (``pipeline.journal``)."""
    staging = open_staging(config)
    journal = Journal(staging.journal_path(unit), attempt)
    processing = Counter("processing", unit)   # its part of the total the ingest planned
    with staging.unit(unit) as writer:
        frames = chunk_frames(config, manifest, now, journal, processing)
        writer.add(frames)
        writer.notices = notices or Notices()
    journal.close()
    processing.finish(manifest.filter(TO_EXTRACT).height)
    return ChunkResult(unit, manifest.height, frames["articles"].height, frames["rejects"].height)


def chunk_frames(config: Config, manifest: pl.DataFrame, now: datetime, journal: Journal,
                 processing: Counter) -> dict[str, pl.DataFrame]:
    """The staged frames of one chunk: its manifest rows, articles (latest version within the chunk,
    publisher id filled in), rejects, sources, and the children of each article with its document_id.
    Each document and NER batch is journalled, so a retry after a crash skips the one that crashed.
    A document counts as processed once rejected or its article enriched (NER is most of the time)."""
    use_id_model(config.id_ner_model)
    new = manifest.filter(pl.col("status") == NEW)
    early = [(row["document_id"], row["origin"], Rejection(row["reject_reason"], row["reject_detail"]))
             for row in new.filter(pl.col("reject_reason").is_not_null()).iter_rows(named=True)]
    store = open_raw_store(config)
    results = [_extracted(journal, store, row, now, config.max_document_bytes)
               for row in new.filter(pl.col("reject_reason").is_null()).iter_rows(named=True)]
    processing.advance(sum(isinstance(result, Rejection) for _, _, result in results))
    articles = articles_frame([result for _, _, result in results if not isinstance(result, Rejection)])
    articles, superseded = keep_latest_versions(articles, now)
    entities, mentions, quotes, enrich_failures = enrichment_frames(articles, partial(_enriched, journal, processing))
    sources, links, source_failures = source_frames(articles)
    signatures, signature_failures = signature_frame(articles)
    owner = articles.select("article_id", "document_id")
    children = {"entities": entities, "entity_mentions": mentions, "quotes": quotes, "article_sources": links,
                "article_signatures": signatures,
                FAILURES: pl.concat([enrich_failures, source_failures, signature_failures])}
    rejected = early + [(doc_id, origin, result) for doc_id, origin, result in results if isinstance(result, Rejection)]
    return {"documents": manifest.select(list(MANIFEST_SCHEMA)),
            "articles": with_publisher_ids(articles, links),
            "rejects": pl.concat([rejects_frame(rejected, now), superseded]),
            "sources": sources,
            **{table: frame.join(owner, on="article_id") for table, frame in children.items()}}


def _extracted(journal: Journal, store: RawStore, row: dict, now: datetime, max_bytes: int) -> tuple[str, str, object]:
    name = f"extract {row['document_id']}"
    if name in journal.killers:
        return row["document_id"], row["origin"], Rejection(EXTRACTION_ERROR, one_line(ProcessDied("extracting")))
    with journal.item(name):
        return extract_one(store, row, now, max_bytes)


def _enriched(journal: Journal, processing: Counter, enrich: Callable, batches: Iterable[list]) -> list:
    """``enrich`` over the NER batches, each counted as processed; a batch a process died on is split
    into single articles, and a single article a process died on is that article's ``entities_error``."""
    results = []
    for batch in batches:
        name = "enrich " + ",".join(article_id for article_id, _, _ in batch)
        if name not in journal.killers:
            with journal.item(name):
                results.append(enrich(batch))
            processing.advance(len(batch))
        elif len(batch) > 1:
            results += _enriched(journal, processing, enrich, [[row] for row in batch])
        else:
            results.append(([], [], [], [failure("entities", batch[0][0], ProcessDied("recognising entities in"))]))
            processing.advance()
    return results


def extract_one(store: RawStore, row: dict, now: datetime, max_bytes: int) -> tuple[str, str, object]:
    """One stored document to an article or a rejection; whatever raises on the way (reading the raw
    store included) is that document's rejection."""
    try:
        data = store.get(row["document_id"])
        result = process_document(data, document_id=row["document_id"], origin=row["origin"], url=row["url"],
                                  extracted_at=now, max_bytes=max_bytes)
        if not isinstance(result, Rejection):
            result = replace(result, fetched_at=row["fetched_at"])
    except Exception as error:   # noqa: BLE001 - one document's failure is that document's reject
        result = Rejection(EXTRACTION_ERROR, one_line(error))
    return row["document_id"], row["origin"], result

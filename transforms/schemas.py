"""Column schemas of the staged tables, shared by the transforms, the validator and the loader.

Names follow the warehouse contract: keys end in ``_id``, times in ``_at``, counts in ``_count``.
"""
from __future__ import annotations

import polars as pl

UTC_TIME = pl.Datetime("us", "UTC")

ARTICLES = {
    "article_id": pl.String,
    "document_id": pl.String,
    "url": pl.String,
    "canonical_url": pl.String,
    "source_id": pl.String,
    "title": pl.String,
    "text": pl.String,
    "language": pl.String,
    "published_at": UTC_TIME,
    "published_at_precision": pl.String,
    "published_at_raw": pl.String,
    "authors": pl.List(pl.String),
    "word_count": pl.Int64,
    "content_sha256": pl.String,
    "origin": pl.String,
    "site_name": pl.String,
    "description": pl.String,
    "image_url": pl.String,
    "categories": pl.List(pl.String),
    "tags": pl.List(pl.String),
    "extracted_at": UTC_TIME,
    "extractor_version": pl.String,
    "cluster_id": pl.String,
    "fetched_at": UTC_TIME,
    "is_truncated": pl.Boolean,   # text cut to a bound before extraction or NER (transforms.bounds)
}

ENTITIES = {
    "article_id": pl.String,
    "entity_id": pl.String,
    "name": pl.String,
    "type": pl.String,
    "mention_count": pl.Int64,
    "country_code": pl.String,
    "method": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
}

ENTITY_MENTIONS = {
    "article_id": pl.String,
    "entity_id": pl.String,
    "start_offset": pl.Int64,
    "end_offset": pl.Int64,
    "surface": pl.String,
}

QUOTES = {
    "quote_id": pl.String,
    "article_id": pl.String,
    "text": pl.String,
    "speaker": pl.String,
    "speaker_entity_id": pl.String,
    "cue": pl.String,
    "start_offset": pl.Int64,
    "end_offset": pl.Int64,
}

SOURCES = {
    "source_id": pl.String,
    "name": pl.String,
    "domain": pl.String,
    "kind": pl.String,
    "country_code": pl.String,
    "language": pl.String,
}

ARTICLE_SOURCES = {
    "article_id": pl.String,
    "source_id": pl.String,
    "role": pl.String,
    "evidence": pl.String,
}

REJECTS = {
    "document_id": pl.String,
    "origin": pl.String,
    "reason": pl.String,
    "detail": pl.String,
    "rejected_at": UTC_TIME,
}

# What later runs need to find an article's near-duplicates (see transforms.syndication).
ARTICLE_SIGNATURES = {
    "article_id": pl.String,
    "minhash": pl.List(pl.UInt32),
    "band_keys": pl.List(pl.Int64),
}

DOCUMENTS = {
    "document_id": pl.String,
    "origin": pl.String,
    "url": pl.String,
    "size_bytes": pl.Int64,
    "first_seen_at": UTC_TIME,
    "fetched_at": UTC_TIME,
}

TABLES: dict[str, dict[str, pl.DataType]] = {
    "articles": ARTICLES,
    "entities": ENTITIES,
    "entity_mentions": ENTITY_MENTIONS,
    "quotes": QUOTES,
    "sources": SOURCES,
    "article_sources": ARTICLE_SOURCES,
    "rejects": REJECTS,
    "documents": DOCUMENTS,
    "article_signatures": ARTICLE_SIGNATURES,
}

ENTITY_TYPES = ("PERSON", "ORG", "LOC")
SOURCE_KINDS = ("publisher", "agency")
SOURCE_ROLES = ("publisher", "cited", "credit")
DATE_PRECISIONS = ("second", "minute", "day")


def frame(table: str, rows: list[dict] | None = None) -> pl.DataFrame:
    """A frame of ``table``'s schema from row dicts (empty when no rows)."""
    return pl.DataFrame(rows or [], schema=TABLES[table])

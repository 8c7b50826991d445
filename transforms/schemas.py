"""The table registry: every warehouse table once, with its columns, key, parent and roles.

Loading (``warehouse.io``), export, validation and quarantine take their table lists from here
(orchestration is to follow: ``SUMMARY_TABLES`` is the run summary's), and
``tests/unit/test_registry.py`` holds the migrations to it, so a table or column is added in one
place (plus its migration). ``TABLES`` keeps the staged schemas as plain
``{column: polars dtype}`` maps for the transforms.

Names follow the warehouse contract: keys end in ``_id``, times in ``_at``, counts in ``_count``.
"""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

UTC_TIME = pl.Datetime("us", "UTC")


@dataclass(frozen=True)
class Column:
    """A staged column: its polars dtype and what it holds. ``stored_as`` names the warehouse's
    DuckDB type where the migrations chose a narrower one than the dtype's (DuckDB casts on insert)."""

    name: str
    dtype: pl.DataType
    description: str
    stored_as: str | None = None


@dataclass(frozen=True)
class Table:
    """A warehouse table.

    ``key``: the columns that identify a row (the table's primary key). ``parent``: the table whose
    key this one's rows reference and belong to (None for a root). ``load_order``: position in the
    load, parents first. ``exported``: written by ``kabar export``. ``validated``: has a Great
    Expectations suite (``expectations.suites``).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    parent: str | None
    load_order: int
    exported: bool
    validated: bool

    @property
    def schema(self) -> dict[str, pl.DataType]:
        """``{column: polars dtype}`` in column order."""
        return {column.name: column.dtype for column in self.columns}


_SHA = "SHA-256 hex digest"

_REGISTERED = (
    Table(
        "articles", "One row per article (the latest version of a URL): its text and page metadata.",
        (
            Column("article_id", pl.String, f"{_SHA} of the normalised canonical URL, else of the document bytes"),
            Column("document_id", pl.String, "the document it was extracted from (documents.document_id)"),
            Column("url", pl.String, "the URL the page was fetched from, else its canonical URL"),
            Column("canonical_url", pl.String, "the normalised canonical URL from the page's metadata, else of url"),
            Column("source_id", pl.String, "its publisher (sources.source_id); null when nothing names one"),
            Column("title", pl.String, "the headline, without the outlet's name around it"),
            Column("text", pl.String, "the body text, boilerplate removed"),
            Column("language", pl.String, "BCP 47 primary subtag of the text (id, en, yue); null when unknown"),
            Column("published_at", UTC_TIME, "publication time in UTC"),
            Column("published_at_precision", pl.String, "second | minute | day"),
            Column("published_at_raw", pl.String, "the date as the page wrote it"),
            Column("authors", pl.List(pl.String), "the byline's names"),
            Column("word_count", pl.Int64, "words in text", stored_as="INTEGER"),
            Column("content_sha256", pl.String, f"{_SHA} of text"),
            Column("origin", pl.String, "where its document was read: a path, or '<archive path>#<record offset>'"),
            Column("site_name", pl.String, "the outlet's name from the page's metadata"),
            Column("description", pl.String, "the summary from the page's metadata"),
            Column("image_url", pl.String, "the lead image from the page's metadata"),
            Column("categories", pl.List(pl.String), "sections from the page's metadata"),
            Column("tags", pl.List(pl.String), "keywords from the page's metadata"),
            Column("extracted_at", UTC_TIME, "when a run extracted it"),
            Column("extractor_version", pl.String, "the Kabar and trafilatura versions that extracted it"),
            Column("cluster_id", pl.String, "its syndication cluster: the article_id of the cluster's first loaded "
                                            "member (transforms.syndication)"),
            Column("fetched_at", UTC_TIME, "when the page was fetched from the web; null for a file read from disk"),
            Column("is_truncated", pl.Boolean, "text cut to a bound before extraction or NER (transforms.bounds)"),
            Column("modified_at", UTC_TIME, "last modification time in UTC, as the page's metadata gives it "
                                            "(dateModified and its kin); null when it gives none"),
            Column("is_accessible_for_free", pl.Boolean, "the page's JSON-LD isAccessibleForFree: false behind a "
                                                         "paywall; null when the page does not say"),
        ),
        key=("article_id",), parent="documents", load_order=2, exported=True, validated=True,
    ),
    Table(
        "entities", "One row per entity an article names: a person, organisation or place.",
        (
            Column("article_id", pl.String, "the article that names it"),
            Column("entity_id", pl.String, f"{_SHA} of 'TYPE|key': key country:XX for a country, else the "
                                           "normalised canonical name"),
            Column("name", pl.String, "the canonical name (titles stripped, a surname linked to the full name)"),
            Column("type", pl.String, "PERSON | ORG | LOC"),
            Column("mention_count", pl.Int64, "its mentions in the article", stored_as="INTEGER"),
            Column("country_code", pl.String, "ISO 3166 alpha-2 of a country or of a place's country, else null"),
            Column("method", pl.String, "what found it: model:en, model:fr, model:id, gazetteer or rules"),
            Column("latitude", pl.Float64, "a city's latitude (GeoNames); null for other entities"),
            Column("longitude", pl.Float64, "a city's longitude (GeoNames); null for other entities"),
        ),
        key=("article_id", "entity_id"), parent="articles", load_order=3, exported=True, validated=True,
    ),
    Table(
        "entity_mentions", "One row per mention of an entity in an article's text.",
        (
            Column("article_id", pl.String, "the article whose text holds it"),
            Column("entity_id", pl.String, "the entity mentioned (an entities row of the same article)"),
            Column("start_offset", pl.Int64, "where it starts in articles.text (a character index)", stored_as="INTEGER"),
            Column("end_offset", pl.Int64, "where it ends: articles.text[start_offset:end_offset] == surface",
                   stored_as="INTEGER"),
            Column("surface", pl.String, "the words as the text writes them"),
        ),
        key=("article_id", "start_offset", "end_offset"), parent="entities", load_order=4, exported=True,
        validated=True,
    ),
    Table(
        "quotes", "One row per direct quote in an article's text, with who said it.",
        (
            Column("quote_id", pl.String, f"{_SHA} of 'QUOTE|article_id|start_offset|end_offset'"),
            Column("article_id", pl.String, "the article that quotes it"),
            Column("text", pl.String, "the quote: articles.text[start_offset:end_offset]"),
            Column("speaker", pl.String, "who said it, as the text names them; null when no one is credited"),
            Column("speaker_entity_id", pl.String, "the speaker's entity in the same article; null when none matches"),
            Column("cue", pl.String, "the speech cue that attributes it (kata, said); null without one"),
            Column("start_offset", pl.Int64, "where it starts in articles.text (a character index)", stored_as="INTEGER"),
            Column("end_offset", pl.Int64, "where it ends in articles.text", stored_as="INTEGER"),
        ),
        key=("quote_id",), parent="articles", load_order=5, exported=True, validated=True,
    ),
    Table(
        "sources", "One row per organisation (publisher or news agency), shared by all its articles.",
        (
            Column("source_id", pl.String, f"{_SHA} of 'SOURCE|' + the registered domain (www., m., amp. merged)"),
            Column("name", pl.String, "the curated name, else the site name, else the domain"),
            Column("domain", pl.String, "the registered domain (reuters.com)"),
            Column("kind", pl.String, "publisher | agency"),
            Column("country_code", pl.String, "ISO 3166 alpha-2: the curated table's, else the ccTLD's; "
                                              "null for generic and brand TLDs"),
            Column("language", pl.String, "what it publishes in: the curated table's, else its page language"),
        ),
        key=("source_id",), parent=None, load_order=1, exported=True, validated=True,
    ),
    Table(
        "article_sources", "One row per article, source and role: who published, is cited in or credited by it.",
        (
            Column("article_id", pl.String, "the article"),
            Column("source_id", pl.String, "the organisation (sources.source_id)"),
            Column("role", pl.String, "publisher | cited | credit"),
            Column("evidence", pl.String, "what shows it: the publisher's URL or site name, the citing words or "
                                          "the credit"),
        ),
        key=("article_id", "source_id", "role"), parent="articles", load_order=6, exported=True, validated=True,
    ),
    Table(
        "rejects", "One row per document and reason it did not become an article.",
        (
            Column("document_id", pl.String, "the rejected document (documents.document_id)"),
            Column("origin", pl.String, "where the document was read"),
            Column("reason", pl.String, "why: a reject reason (empty, no_text, superseded, …) or '<table>.<check>'"),
            Column("detail", pl.String, "what was found, with the offending values"),
            Column("rejected_at", UTC_TIME, "when a run rejected it"),
        ),
        key=("document_id", "reason"), parent="documents", load_order=8, exported=True, validated=False,
    ),
    Table(
        "documents", "One row per input document committed: a later run skips the ones already here.",
        (
            Column("document_id", pl.String, f"{_SHA} of the decompressed input bytes (of the reason and URL or "
                                             "origin for an unreadable one)"),
            Column("origin", pl.String, "the input path, or '<archive path>#<record offset>', where it was first seen"),
            Column("url", pl.String, "the page's URL where the input gives one (a WARC record, a crawl)"),
            Column("size_bytes", pl.Int64, "decompressed size in bytes; 0 for an unreadable one"),
            Column("first_seen_at", UTC_TIME, "when a run first read it"),
            Column("fetched_at", UTC_TIME, "when it was fetched from the web (WARC-Date, crawl); null for a file "
                                           "read from disk"),
        ),
        key=("document_id",), parent=None, load_order=0, exported=True, validated=False,
    ),
    # What later runs need to find an article's near-duplicates (see transforms.syndication).
    Table(
        "article_signatures",
        "One row per article of 30+ words: its MinHash signature and LSH band keys, for later runs' syndication clusters.",
        (
            Column("article_id", pl.String, "the article"),
            Column("minhash", pl.List(pl.UInt32), "one value per hash function"),
            Column("band_keys", pl.List(pl.Int64), "one key per LSH band of the signature"),
        ),
        key=("article_id",), parent="articles", load_order=7, exported=False, validated=False,
    ),
)

# Every table by name, articles first: the order table counts, export and the summary list them in.
REGISTRY: dict[str, Table] = {table.name: table for table in _REGISTERED}
# Each table's staged schema, ``{column: polars dtype}``.
TABLES: dict[str, dict[str, pl.DataType]] = {name: table.schema for name, table in REGISTRY.items()}
# The order ``warehouse.io.load_batch`` registers and writes tables in: parents first.
LOAD_ORDER: tuple[str, ...] = tuple(sorted(REGISTRY, key=lambda name: REGISTRY[name].load_order))
# Tables with a Great Expectations suite.
VALIDATED_TABLES: tuple[str, ...] = tuple(name for name, table in REGISTRY.items() if table.validated)
# Tables ``kabar export`` writes (article_signatures is state, not data).
EXPORTED_TABLES: tuple[str, ...] = tuple(name for name, table in REGISTRY.items() if table.exported)
# The staged tables the run summary counts one line each (articles and rejects have lines of their own).
SUMMARY_TABLES: tuple[str, ...] = tuple(name for name in VALIDATED_TABLES if name != "articles")


def _belongs_to_article(name: str) -> bool:
    parent = REGISTRY[name].parent
    return parent == "articles" or (parent is not None and _belongs_to_article(parent))


# Tables whose rows each belong to one article (by article_id): replaced and held back with it.
ARTICLE_CHILDREN: tuple[str, ...] = tuple(name for name in LOAD_ORDER if _belongs_to_article(name))

ENTITY_TYPES = ("PERSON", "ORG", "LOC")
SOURCE_KINDS = ("publisher", "agency")
SOURCE_ROLES = ("publisher", "cited", "credit")
DATE_PRECISIONS = ("second", "minute", "day")


def frame(table: str, rows: list[dict] | None = None) -> pl.DataFrame:
    """A frame of ``table``'s schema from row dicts (empty when no rows)."""
    return pl.DataFrame(rows or [], schema=TABLES[table])

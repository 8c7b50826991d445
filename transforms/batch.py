"""Turn per-document results into the staged tables of one run.

Per-document work (extraction, entities, quotes, sources) happens in plain Python; this module
collects it into polars frames with the warehouse schemas and settles which version of an
article a batch keeps.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

import polars as pl

from transforms.documents import Rejection
from transforms.entities import EntityMention, find_entities
from transforms.extract import ExtractedArticle
from transforms.identity import quote_id
from transforms.quotes import find_quotes
from transforms.schemas import TABLES, frame
from transforms.sources import find_agency_citations, publisher_source

SUPERSEDED = "superseded"


def articles_frame(articles: list[ExtractedArticle]) -> pl.DataFrame:
    """Articles with the warehouse columns plus ``captions`` (used for photo credits, not loaded)."""
    schema = {**TABLES["articles"], "captions": pl.List(pl.String)}
    rows = [{name: value for name, value in asdict(article).items() if name in schema} for article in articles]
    return pl.DataFrame(rows, schema=schema)


def rejects_frame(rejections: list[tuple[str, str, Rejection]], rejected_at: datetime) -> pl.DataFrame:
    """``(document_id, origin, Rejection)`` triples as ``rejects`` rows."""
    return frame("rejects", [
        {"document_id": document_id, "origin": origin, "reason": rejection.reason,
         "detail": rejection.detail, "rejected_at": rejected_at}
        for document_id, origin, rejection in rejections
    ])


def keep_latest_versions(articles: pl.DataFrame, rejected_at: datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per ``article_id``: the latest publication (ties: the last input). Earlier versions
    become ``superseded`` rejects so every document stays accounted for."""
    ranked = articles.with_row_index("_input_order").sort(
        ["article_id", "published_at", "_input_order"], nulls_last=False)
    kept = ranked.unique("article_id", keep="last", maintain_order=True)
    superseded = ranked.join(kept.select("document_id"), on="document_id", how="anti")
    rejects = _superseded_rejects(superseded, "an older version of article {} in the same run", rejected_at)
    return kept.sort("_input_order").drop("_input_order"), rejects


def drop_older_than_stored(articles: pl.DataFrame, stored: pl.DataFrame, rejected_at: datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An input published before the version already in the warehouse does not replace it."""
    joined = articles.join(stored.rename({"published_at": "_stored_at"}), on="article_id", how="left")
    is_older = (pl.col("published_at") < pl.col("_stored_at")).fill_null(False)
    older = _superseded_rejects(joined.filter(is_older), "older than the stored version of article {}", rejected_at)
    return joined.filter(~is_older).drop("_stored_at"), older


def _superseded_rejects(versions: pl.DataFrame, detail: str, rejected_at: datetime) -> pl.DataFrame:
    return versions.select(
        "document_id", "origin",
        pl.lit(SUPERSEDED).alias("reason"),
        pl.format(detail, "article_id").alias("detail"),
        pl.lit(rejected_at, dtype=TABLES["rejects"]["rejected_at"]).alias("rejected_at"),
    )


def enrich_article(row: tuple[str, str, str | None]) -> tuple[list[dict], list[dict], list[dict]]:
    """``entities``, ``entity_mentions`` and ``quotes`` rows of one ``(article_id, text, language)``.

    A quote's speaker is linked to an entity of the same article by canonical name.
    """
    article_id, text, language = row
    mentions = find_entities(text, language)
    grouped: dict[str, list[EntityMention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.entity_id, []).append(mention)
    entity_rows = [{"article_id": article_id, "entity_id": entity_id, "name": group[0].name, "type": group[0].type,
                    "mention_count": len(group), "country_code": group[0].country_code, "method": group[0].method}
                   for entity_id, group in grouped.items()]
    mention_rows = [{"article_id": article_id, "entity_id": m.entity_id, "start_offset": m.start_offset,
                     "end_offset": m.end_offset, "surface": m.surface} for m in mentions]
    ids_by_name = {key: m.entity_id for m in mentions for key in _link_keys(m)}
    quote_rows = [{"quote_id": quote_id(article_id, q.start_offset, q.end_offset), "article_id": article_id,
                   "text": q.text, "speaker": q.speaker,
                   "speaker_entity_id": ids_by_name.get(q.speaker.casefold()) if q.speaker else None,
                   "cue": q.cue, "start_offset": q.start_offset, "end_offset": q.end_offset}
                  for q in find_quotes(text, language, mentions)]
    return entity_rows, mention_rows, quote_rows


def _link_keys(mention: EntityMention) -> tuple[str, ...]:
    """Names a speaker may be given as: the canonical name, the surface, and the surface without a
    paired acronym ("Badan Nasional Penanggulangan Terorisme (BNPT)" speaks as its long name)."""
    surface = mention.surface.split(" (")[0]
    return mention.name.casefold(), mention.surface.casefold(), surface.casefold()


def enrichment_frames(articles: pl.DataFrame, map_rows: Callable = map) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``entities``, ``entity_mentions`` and ``quotes`` of a batch; ``map_rows`` may spread the
    per-article work over processes."""
    entities, mentions, quotes = [], [], []
    for entity_rows, mention_rows, quote_rows in map_rows(enrich_article, articles.select("article_id", "text", "language").iter_rows()):
        entities.extend(entity_rows)
        mentions.extend(mention_rows)
        quotes.extend(quote_rows)
    return frame("entities", entities), frame("entity_mentions", mentions), frame("quotes", quotes)


def source_frames(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``sources`` (one row per organisation) and ``article_sources`` (publisher, cited, credit)."""
    sources: dict[str, dict] = {}
    links = []
    columns = ("article_id", "url", "site_name", "text", "captions")
    for article_id, url, site_name, text, captions in articles.select(columns).iter_rows():
        found = find_agency_citations(text, captions or [])
        publisher = publisher_source(url, site_name)
        for ref in ([publisher] if publisher else []) + found:
            sources.setdefault(ref.source_id, {"source_id": ref.source_id, "name": ref.name,
                                               "domain": ref.domain, "kind": ref.kind})
            links.append({"article_id": article_id, "source_id": ref.source_id, "role": ref.role,
                          "evidence": ref.evidence})
    link_frame = frame("article_sources", links).unique(["article_id", "source_id", "role"], keep="first", maintain_order=True)
    return frame("sources", list(sources.values())), link_frame


def with_publisher_ids(articles: pl.DataFrame, article_sources: pl.DataFrame) -> pl.DataFrame:
    """Fill ``articles.source_id`` from the publisher link found by the source stage."""
    publishers = (article_sources.filter(pl.col("role") == "publisher")
                  .select("article_id", pl.col("source_id").alias("_publisher_id"))
                  .unique("article_id", keep="first"))
    return (articles.join(publishers, on="article_id", how="left")
            .with_columns(pl.col("_publisher_id").alias("source_id")).drop("_publisher_id"))

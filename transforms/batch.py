"""Turn per-document results into the staged tables of one run.

Per-document work (extraction, entities, quotes, sources) happens in plain Python; this module
collects it into polars frames with the warehouse schemas and settles which version of an
article a batch keeps.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from datetime import datetime

import polars as pl

from transforms.bounds import bounded_text
from transforms.documents import Rejection
from transforms.entities import EntityMention, find_entities_batch
from transforms.entities.places import find_city
from transforms.extract import ExtractedArticle
from transforms.failures import failures_frame, guarded
from transforms.identity import country_entity_id, quote_id
from transforms.quotes import find_quotes
from transforms.schemas import TABLES, frame
from transforms.sources import SourceRef, find_agency_citations, publisher_source

SUPERSEDED = "superseded"
# Articles per enrichment chunk: one ``nlp.pipe`` pass each, and the unit ``map_rows`` spreads over
# worker processes (small enough that a few hundred articles still make enough chunks to share).
ENRICH_CHUNK = 8


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


def enrich_articles(rows: list[tuple[str, str, str | None]]) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """``entities``, ``entity_mentions``, ``quotes`` and failure rows of a chunk of
    ``(article_id, text, language)``. The entity stage runs over the whole chunk at once
    (``find_entities_batch``: one ``nlp.pipe`` per language); when the batch raises, each article is
    tried alone so only the culprit fails (``entities_error``). A quote's speaker is linked to an
    entity of the same article by canonical name."""
    rows = list(rows)
    failures: list[dict] = []
    found = _entities_of(rows, failures)
    entity_rows, mention_rows, quote_rows = [], [], []
    for (article_id, text, language), mentions in zip(rows, found):
        if mentions is None:
            continue
        entities = guarded("entities", article_id, partial(_entity_rows, article_id, mentions), failures)
        if entities is None:
            continue
        quotes = guarded("quotes", article_id, partial(_quote_rows, article_id, text or "", language, mentions),
                         failures)
        if quotes is None:
            continue
        entity_rows += entities
        mention_rows += [{"article_id": article_id, "entity_id": m.entity_id, "start_offset": m.start_offset,
                          "end_offset": m.end_offset, "surface": m.surface} for m in mentions]
        quote_rows += quotes
    return entity_rows, mention_rows, quote_rows, failures


def _entities_of(rows: list[tuple[str, str, str | None]], failures: list[dict]) -> list[list[EntityMention] | None]:
    """Each article's mentions: the chunk in one pass, or one article at a time when the pass raises
    (None for an article that fails alone)."""
    try:
        return find_entities_batch([text or "" for _, text, _ in rows], [language for _, _, language in rows])
    except Exception:   # noqa: BLE001 - find the culprit below
        return [guarded("entities", article_id, partial(_entities_alone, text, language), failures)
                for article_id, text, language in rows]


def _entities_alone(text: str | None, language: str | None) -> list[EntityMention]:
    return find_entities_batch([text or ""], [language])[0]


def _entity_rows(article_id: str, mentions: list[EntityMention]) -> list[dict]:
    grouped: dict[str, list[EntityMention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.entity_id, []).append(mention)
    return [_entity_row(article_id, entity_id, group) for entity_id, group in grouped.items()]


def _quote_rows(article_id: str, text: str, language: str | None, mentions: list[EntityMention]) -> list[dict]:
    if not text:
        return []
    ids_by_name = {key: m.entity_id for m in mentions for key in _link_keys(m)}
    return [{"quote_id": quote_id(article_id, q.start_offset, q.end_offset), "article_id": article_id,
             "text": q.text, "speaker": q.speaker,
             "speaker_entity_id": ids_by_name.get(q.speaker.casefold()) if q.speaker else None,
             "cue": q.cue, "start_offset": q.start_offset, "end_offset": q.end_offset}
            for q in find_quotes(text, language, mentions)]


def _entity_row(article_id: str, entity_id: str, group: list[EntityMention]) -> dict:
    """One ``entities`` row; a place that is a known city (not a country) gets its coordinates and,
    when the rules gave none, its country."""
    first = group[0]
    city = None
    is_country = first.country_code is not None and entity_id == country_entity_id(first.country_code)
    if first.type == "LOC" and not is_country:
        city = find_city(first.name, first.country_code)
    return {"article_id": article_id, "entity_id": entity_id, "name": first.name, "type": first.type,
            "mention_count": len(group), "country_code": city.country_code if city else first.country_code,
            "method": first.method, "latitude": city.latitude if city else None,
            "longitude": city.longitude if city else None}


def _link_keys(mention: EntityMention) -> tuple[str, ...]:
    """Names a speaker may be given as: the canonical name, the surface, and the surface without a
    paired acronym ("Badan Nasional Penanggulangan Terorisme (BNPT)" speaks as its long name)."""
    surface = mention.surface.split(" (")[0]
    return mention.name.casefold(), mention.surface.casefold(), surface.casefold()


def enrichment_frames(articles: pl.DataFrame, map_rows: Callable = map, chunk_size: int = ENRICH_CHUNK
                      ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``entities``, ``entity_mentions``, ``quotes`` and the per-article failures of a batch. The
    articles go in chunks of ``chunk_size`` (each chunk one batched pass of the NER model);
    ``map_rows`` maps over the chunks and may spread them over processes."""
    # NER and quotes read the bounded start of a long text (``transforms.bounds``): a prefix, so offsets hold.
    rows = [(article_id, bounded_text(text or "")[0], language)
            for article_id, text, language in articles.select("article_id", "text", "language").iter_rows()]
    chunks = [rows[i:i + chunk_size] for i in range(0, len(rows), max(1, chunk_size))]
    entities, mentions, quotes, failures = [], [], [], []
    for entity_rows, mention_rows, quote_rows, failure_rows in map_rows(enrich_articles, chunks):
        entities.extend(entity_rows)
        mentions.extend(mention_rows)
        quotes.extend(quote_rows)
        failures.extend(failure_rows)
    return (frame("entities", entities), frame("entity_mentions", mentions), frame("quotes", quotes),
            failures_frame(failures))


def source_frames(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``sources`` (one row per organisation), ``article_sources`` (publisher, cited, credit) and the
    per-article failures."""
    sources: dict[str, dict] = {}
    links, failures = [], []
    columns = ("article_id", "url", "site_name", "text", "captions", "language")
    for article_id, url, site_name, text, captions, language in articles.select(columns).iter_rows():
        refs = guarded("sources", article_id, partial(_source_refs, url, site_name, text, captions, language), failures)
        for ref in refs or ():
            sources.setdefault(ref.source_id, {"source_id": ref.source_id, "name": ref.name, "domain": ref.domain,
                                               "kind": ref.kind, "country_code": ref.country_code,
                                               "language": ref.language})
            links.append({"article_id": article_id, "source_id": ref.source_id, "role": ref.role,
                          "evidence": ref.evidence})
    link_frame = frame("article_sources", links).unique(["article_id", "source_id", "role"], keep="first", maintain_order=True)
    return frame("sources", list(sources.values())), link_frame, failures_frame(failures)


def _source_refs(url: str | None, site_name: str | None, text: str, captions: list[str] | None,
                 language: str | None) -> list[SourceRef]:
    publisher = publisher_source(url, site_name, language)
    return ([publisher] if publisher else []) + find_agency_citations(bounded_text(text or "")[0], captions or [])


def with_publisher_ids(articles: pl.DataFrame, article_sources: pl.DataFrame) -> pl.DataFrame:
    """Fill ``articles.source_id`` from the publisher link found by the source stage."""
    publishers = (article_sources.filter(pl.col("role") == "publisher")
                  .select("article_id", pl.col("source_id").alias("_publisher_id"))
                  .unique("article_id", keep="first"))
    return (articles.join(publishers, on="article_id", how="left")
            .with_columns(pl.col("_publisher_id").alias("source_id")).drop("_publisher_id"))

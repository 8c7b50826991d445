"""Settle: the staged units as one batch the warehouse can take.

Units are written apart (chunks of a run, archives of a backfill), so only here is the batch seen
whole: each document once (a later copy is a ``duplicate``, one the warehouse holds is ``seen``), the
latest version of each article against the batch and the warehouse (the others ``superseded``),
children only of the versions kept, and each article's syndication cluster against the batch and
the stored signatures.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from pipeline.ingest import DUPLICATE, MANIFEST_SCHEMA, NEW, mark_seen
from pipeline.process import FAILURES
from pipeline.staging import UNIT, StagedUnit, read_table
from transforms.batch import drop_older_than_stored, keep_latest_versions
from transforms.failures import failures_frame
from transforms.schemas import ARTICLE_CHILDREN, TABLES
from transforms.syndication import cluster_frame, with_cluster_ids
from warehouse.io import signatures_sharing_bands, stored_publication_times

STAGED_ARTICLES = {**TABLES["articles"], "captions": pl.List(pl.String)}
_CHILD_SCHEMAS = {**{table: TABLES[table] for table in ARTICLE_CHILDREN}, FAILURES: dict(failures_frame().schema)}


@dataclass(frozen=True)
class Batch:
    """The settled batch: every manifest row with its final status, and the frames to validate."""

    manifest: pl.DataFrame
    frames: dict[str, pl.DataFrame]   # documents, articles, rejects, sources, the child tables, article_signatures
    failures: pl.DataFrame            # per-article stage failures (entities_error, …)


def settle(con: duckdb.DuckDBPyConnection, units: list[StagedUnit], now: datetime) -> Batch:
    """Merge ``units`` into one batch against the warehouse behind ``con``."""
    manifest = mark_seen(_each_document_once(read_table(units, "documents", MANIFEST_SCHEMA)), con)
    # A document's rows come from the unit that staged it first: another unit's copy is a duplicate.
    new = manifest.filter(pl.col("status") == NEW)
    owners = new.select("document_id", UNIT)

    def staged(table: str, schema: dict) -> pl.DataFrame:
        return read_table(units, table, schema).join(owners, on=["document_id", UNIT], how="semi").drop(UNIT)

    articles, superseded = keep_latest_versions(staged("articles", STAGED_ARTICLES), now)
    stored = stored_publication_times(con, articles["article_id"].to_list())
    articles, older = drop_older_than_stored(articles, stored, now)
    kept = pl.col("document_id").is_in(articles["document_id"].implode())
    children = {table: staged(table, {**schema, "document_id": pl.String}).filter(kept).drop("document_id")
                for table, schema in _CHILD_SCHEMAS.items()}
    signatures = children.pop("article_signatures")
    bands = signatures["band_keys"].explode().drop_nulls().unique().to_list()
    clusters = cluster_frame(articles, signatures, signatures_sharing_bands(con, bands))
    rejects = pl.concat([staged("rejects", TABLES["rejects"]), superseded, older])
    sources = read_table(units, "sources", TABLES["sources"]).drop(UNIT)
    frames = {
        "documents": new.select(list(TABLES["documents"])),
        "articles": with_cluster_ids(articles, clusters),
        "rejects": rejects.unique(["document_id", "reason"], keep="first", maintain_order=True),
        "sources": sources.unique("source_id", keep="first", maintain_order=True),
        "article_signatures": clusters.drop_nulls("minhash").select(list(TABLES["article_signatures"])),
        **children,
    }
    return Batch(manifest.drop(UNIT), frames, frames.pop(FAILURES))


def _each_document_once(manifest: pl.DataFrame) -> pl.DataFrame:
    """A document staged by two units (the same page in two archives) is new once, then a duplicate."""
    new = pl.col("status") == NEW
    repeated = new & (new.cast(pl.Int32).cum_sum().over("document_id") > 1)
    return manifest.with_columns(pl.when(repeated).then(pl.lit(DUPLICATE)).otherwise(pl.col("status")).alias("status"))

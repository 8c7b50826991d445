"""Backfill: one Dagster dynamic partition per WARC archive, processed in parallel, loaded by one writer.

Each partition streams its archive in chunks through ingestion, extraction and enrichment, and
writes the results as Parquet under ``$KABAR_HOME/staging/warc/<partition>/`` (renamed into place
when complete, so a crashed step leaves nothing half-staged). It never opens the warehouse: DuckDB
has one writer. ``warc_loaded`` (pool ``warehouse``, one at a time) then merges every staged
partition in one transaction: documents already loaded are skipped, versions settled, syndication
clusters assigned, the suites run as blocking checks, and the staged files removed once committed.
A failed archive is re-run alone by materialising its partition again.
"""

import hashlib
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime, UTC
from itertools import islice
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.defs.extract import current_versions, extract_documents
from orchestration.defs.ingest import MANIFEST_SCHEMA, NEW, mark_seen, store_documents
from orchestration.defs.quality import VALIDATED_TABLES, check_result, stage_batch, suite_check_specs
from orchestration.defs.syndication import clusters_for
from orchestration.resources import KabarResource
from transforms.batch import (ENRICH_CHUNK, enrichment_frames, keep_latest_versions, rejects_frame,
                             source_frames)
from transforms.failures import failures_frame
from transforms.schemas import TABLES
from transforms.warc import WarcCounts, read_warc
from warehouse.io import load_batch, table_counts

WARC_PARTITIONS = dg.DynamicPartitionsDefinition(name="warc_files")
CHUNK_DOCUMENTS = 200   # documents held in memory at once by a partition step
_CHILD_TABLES = ("entities", "entity_mentions", "quotes", "article_sources", "failures")
_SHARD_TABLES = ("documents", "articles", "rejects", "sources", *_CHILD_TABLES)
_COMPLETE = "archive.json"
_SHARD_SCHEMAS = {"failures": dict(failures_frame().schema)}


def partition_key(archive: Path) -> str:
    """A readable key that names one archive: its file name and a hash of its absolute path."""
    resolved = archive.resolve()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", resolved.name)[:80]
    return f"{stem}-{hashlib.sha256(str(resolved).encode()).hexdigest()[:10]}"


class ArchiveRegistry:
    """Which archive each partition key stands for (``$KABAR_HOME/warc_partitions.json``)."""

    def __init__(self, home: Path):
        self.path = Path(home) / "warc_partitions.json"

    def register(self, archives: list[Path]) -> list[str]:
        known = self._read()
        keys = [partition_key(archive) for archive in archives]
        known.update({key: str(archive.resolve()) for key, archive in zip(keys, archives)})
        temporary = self.path.with_suffix(".part")
        temporary.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(known, indent=1, sort_keys=True))
        os.replace(temporary, self.path)
        return keys

    def archive(self, key: str) -> Path:
        known = self._read()
        if key not in known:
            raise dg.Failure(f"no archive registered for partition {key!r}: add it with `kabar backfill FILE`")
        return Path(known[key])

    def _read(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}


def staging_root(kabar: KabarResource) -> Path:
    return Path(kabar.home) / "staging" / "warc"


@dg.asset(partitions_def=WARC_PARTITIONS, group_name="backfill",
          description="One WARC archive ingested, extracted and enriched into Parquet staging files "
                      "(no warehouse access, so archives run in parallel).")
def warc_staged(context: dg.AssetExecutionContext, kabar: KabarResource) -> dg.MaterializeResult:
    archive = ArchiveRegistry(Path(kabar.home)).archive(context.partition_key)
    counts = stage_archive(archive, staging_root(kabar) / context.partition_key, kabar)
    context.log.info(f"{archive}: {json.dumps(counts)}")
    return dg.MaterializeResult(metadata={"archive": dg.MetadataValue.path(str(archive)), **counts})


def stage_archive(archive: Path, target: Path, kabar: KabarResource) -> dict:
    """Stream ``archive`` in chunks into Parquet files under ``target``; returns what it found."""
    now = datetime.now(UTC)
    partial = target.with_name(target.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    skipped, seen_ids, totals = WarcCounts(), set(), {"documents": 0, "articles": 0, "rejects": 0}
    for index, chunk in enumerate(_chunks(read_warc(archive, skipped, kabar.max_document_bytes), CHUNK_DOCUMENTS)):
        for table, frame in _stage_chunk(list(chunk), seen_ids, kabar, now).items():
            frame.write_parquet(partial / f"{table}-{index:05d}.parquet")
            totals[table] = totals.get(table, 0) + frame.height
    (partial / _COMPLETE).write_text(json.dumps({"archive": str(archive), "skipped": skipped.skipped}))
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    return {**{k: totals[k] for k in ("documents", "articles", "rejects")}, "records_skipped": dict(skipped.skipped)}


def _chunks(items: Iterable, size: int) -> Iterator[tuple]:
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def _stage_chunk(documents: list, seen_ids: set[str], kabar: KabarResource, now: datetime) -> dict[str, pl.DataFrame]:
    rows = store_documents(documents, seen_ids, kabar, now)
    manifest = pl.DataFrame(rows, schema=MANIFEST_SCHEMA).filter(pl.col("status") == NEW)
    articles, rejected = extract_documents(manifest, kabar, now)
    articles, superseded = keep_latest_versions(articles, now)
    entities, mentions, quotes, enrich_failures = enrichment_frames(articles, chunk_size=ENRICH_CHUNK)
    sources, links, source_failures = source_frames(articles)
    owner = articles.select("article_id", "document_id")   # children carry their document across chunks
    failures = pl.concat([enrich_failures, source_failures])
    return {"documents": manifest, "articles": articles, "rejects": pl.concat([rejects_frame(rejected, now), superseded]),
            "sources": sources, **{table: frame.join(owner, on="article_id") for table, frame in (
                ("entities", entities), ("entity_mentions", mentions), ("quotes", quotes), ("article_sources", links),
                ("failures", failures))}}


@dg.asset(deps=[warc_staged], group_name="backfill", pool="warehouse",
          check_specs=suite_check_specs(dg.AssetKey("warc_loaded")),
          description="Every staged WARC partition merged into the warehouse in one transaction, after the "
                      "Great Expectations suites pass; the single writer.")
def warc_loaded(context: dg.AssetExecutionContext, kabar: KabarResource):
    partitions = sorted(path for path in staging_root(kabar).glob("*") if (path / _COMPLETE).exists())
    found = {table: _read_shards(partitions, table) for table in _SHARD_TABLES}
    batch = settle_batch(found, kabar)
    clusters, _, signature_failures = clusters_for(batch["articles"], kabar)
    staged, settled, _ = stage_batch(kabar, batch, clusters, pl.concat([batch["failures"], signature_failures]))
    for warning in settled.warnings:
        context.log.warning(warning)
    for table in VALIDATED_TABLES:
        yield check_result(table, settled.reports[table], dg.AssetKey("warc_loaded"))
    if settled.blocked:
        failed = sorted({o.table for o in settled.blocked})
        raise dg.Failure(f"load blocked by failed suites: {', '.join(failed)}; staged partitions kept")
    with kabar.warehouse() as con:
        written = load_batch(con, staged)
        totals = table_counts(con)
    skipped = Counter()   # records that are not pages, as each partition counted them
    for partition in partitions:
        skipped.update(json.loads((partition / _COMPLETE).read_text())["skipped"])
        shutil.rmtree(partition)
    context.log.info(f"loaded {len(partitions)} partitions: {written}")
    yield dg.MaterializeResult(metadata={
        "partitions": dg.MetadataValue.json([p.name for p in partitions]),
        "documents_seen_before": dg.MetadataValue.int(batch["seen"]),
        "rejects_by_reason": dg.MetadataValue.json(dict(staged["rejects"]["reason"].value_counts().iter_rows())),
        "documents_rejected": dg.MetadataValue.int(staged["rejects"]["document_id"].n_unique()),
        "warc_records_skipped": dg.MetadataValue.json(dict(skipped)),
        **{f"{table}_written": dg.MetadataValue.int(count) for table, count in written.items()},
        **{f"{table}_total": dg.MetadataValue.int(count) for table, count in totals.items()}})


def settle_batch(found: dict[str, pl.DataFrame], kabar: KabarResource) -> dict:
    """The staged partitions as one batch: each document once, none the warehouse already holds, the
    latest version of each article, children only of the articles kept."""
    now = datetime.now(UTC)
    documents = mark_seen(found["documents"].unique("document_id", keep="first", maintain_order=True), kabar)
    new = documents.filter(pl.col("status") == NEW)
    fresh = pl.col("document_id").is_in(new["document_id"].implode())
    articles, superseded = current_versions(found["articles"].filter(fresh), kabar, now)
    kept = pl.col("document_id").is_in(articles["document_id"].implode())
    batch = {table: found[table].filter(kept).drop("document_id") for table in _CHILD_TABLES}
    return {**batch, "documents": new, "articles": articles, "seen": documents.height - new.height,
            "rejects": pl.concat([found["rejects"].filter(fresh), superseded]).unique(["document_id", "reason"]),
            "sources": found["sources"].unique("source_id", keep="first", maintain_order=True)}


def _read_shards(partitions: list[Path], table: str) -> pl.DataFrame:
    files = [file for partition in partitions for file in sorted(partition.glob(f"{table}-*.parquet"))]
    return pl.concat([pl.read_parquet(file) for file in files], how="vertical_relaxed") if files else _empty(table)


def _empty(table: str) -> pl.DataFrame:
    schema = MANIFEST_SCHEMA if table == "documents" else {**(TABLES | _SHARD_SCHEMAS)[table], "document_id": pl.String}
    if table == "articles":
        schema = {**TABLES["articles"], "captions": pl.List(pl.String)}
    return pl.DataFrame(schema=schema)


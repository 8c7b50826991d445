"""Ingest: input paths → content-addressed raw store and a manifest of the batch's documents.

Every input gets a manifest row: ``new`` (to extract), ``duplicate`` (same bytes as an earlier input
of the batch) or ``seen`` (already in the warehouse); inputs rejected before storing (too large,
unreadable, a damaged WARC record) keep their reason. What is not a file is a notice, not a row.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from pipeline.config import Config
from transforms.documents import (TOO_LARGE, UNREADABLE, InputDocument, Rejection, display_path, document_id,
                                  find_inputs)
from transforms.inputs import read_inputs
from transforms.progress import Counter, counted, plan
from transforms.warc import WARC_DAMAGED, WarcCounts
from warehouse.io import all_documents, open_warehouse, seen_document_ids
from warehouse.raw_store import RawStore
from warehouse.storage import open_storage

NEW, DUPLICATE, SEEN = "new", "duplicate", "seen"
TO_EXTRACT = (pl.col("status") == NEW) & pl.col("reject_reason").is_null()   # the manifest rows the process stage works on
GONE = "no such file or folder (gone before the run read it)"
MANIFEST_SCHEMA = {
    "document_id": pl.String, "origin": pl.String, "url": pl.String, "size_bytes": pl.Int64,
    "first_seen_at": pl.Datetime("us", "UTC"), "fetched_at": pl.Datetime("us", "UTC"), "status": pl.String,
    "reject_reason": pl.String, "reject_detail": pl.String,
}


@dataclass
class Notices:
    """What a batch read that is not a document: inputs that are not files, WARC records that are not pages."""

    not_read: list[tuple[str, str]] = field(default_factory=list)   # (path, why)
    records_skipped: dict[str, int] = field(default_factory=dict)   # WARC records by kind

    def to_json(self) -> dict:
        return {"not_read": [list(item) for item in self.not_read], "records_skipped": self.records_skipped}

    @classmethod
    def from_json(cls, value: dict) -> Notices:
        return cls([tuple(item) for item in value.get("not_read", [])], dict(value.get("records_skipped", {})))

    def add(self, other: Notices) -> None:
        self.not_read += other.not_read
        for kind, count in other.records_skipped.items():
            self.records_skipped[kind] = self.records_skipped.get(kind, 0) + count


@dataclass
class Ingested:
    manifest: pl.DataFrame
    notices: Notices

    def counts(self) -> dict[str, int]:
        return dict(self.manifest.group_by("status").len().iter_rows())


def ingest(config: Config, paths: list[Path], now: datetime, *, reprocess: bool = False) -> Ingested:
    """Read ``paths`` (and, with ``reprocess``, every stored document again) into the raw store."""
    store = open_raw_store(config)
    rows: list[dict] = []
    known: set[str] = set()   # document ids already in the manifest
    if reprocess:
        with open_warehouse(config.warehouse, wait_seconds=config.busy_timeout_seconds) as con:
            for stored in all_documents(con).iter_rows(named=True):
                if stored["document_id"] in store:   # one rejected before storing keeps its reject
                    known.add(stored["document_id"])
                    rows.append({**stored, "status": NEW, "reject_reason": None, "reject_detail": None})
    archives = WarcCounts()
    # A file a sensor saw may be gone by now: a notice, like any input that is not a file, never a failed run.
    found = find_inputs([path for path in paths if os.path.lexists(path)])
    not_read = [(display_path(path), GONE) for path in paths if not os.path.lexists(path)] + found.skipped
    reading = counted(read_inputs(found.files, archives, config.max_document_bytes), Counter("reading", "ingest"))
    rows += store_documents(reading, known, store, now, config.max_document_bytes)
    manifest = pl.DataFrame(rows, schema=MANIFEST_SCHEMA)
    if not reprocess:
        with open_warehouse(config.warehouse, wait_seconds=config.busy_timeout_seconds) as con:
            manifest = mark_seen(manifest, con)
    plan("processing", manifest.filter(TO_EXTRACT).height)
    return Ingested(manifest, Notices(not_read, dict(archives.skipped)))


def open_raw_store(config: Config) -> RawStore:
    """The raw store at ``config.raw_location`` (a folder, or an S3 bucket shared by several machines)."""
    return RawStore(open_storage(config.raw_location, s3_endpoint=config.s3_endpoint))


def store_documents(documents: Iterable[InputDocument], known: set[str], store: RawStore, now: datetime,
                    max_bytes: int) -> list[dict]:
    """Manifest rows of ``documents``, each new one's bytes put in the raw store; a document whose id is
    in ``known`` (earlier in this batch) is a ``duplicate``. Adds the new ids to ``known``."""
    rows = []
    for document in documents:
        row = manifest_row(document, now, max_bytes)
        row["status"] = DUPLICATE if row["document_id"] in known else NEW
        if row["status"] == NEW and row["reject_reason"] is None:
            store.put(row["document_id"], document.data)   # a full disk fails the batch, not a page
        known.add(row["document_id"])
        rows.append(row)
    return rows


def mark_seen(manifest: pl.DataFrame, con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """New documents the warehouse already holds become ``seen``: re-reading an input loads nothing twice."""
    seen = seen_document_ids(con, manifest.filter(pl.col("status") == NEW)["document_id"].to_list())
    return manifest.with_columns(
        pl.when(pl.col("document_id").is_in(list(seen)) & (pl.col("status") == NEW))
        .then(pl.lit(SEEN)).otherwise(pl.col("status")).alias("status"))


def manifest_row(document: InputDocument, now: datetime, max_bytes: int) -> dict:
    """The manifest row of one input document (without its status). A document with no bytes gets
    an id from its origin, so re-reading the same damaged input finds the same reject."""
    row = {"origin": document.origin, "url": document.url, "fetched_at": document.fetched_at,
           "first_seen_at": now, "reject_reason": None, "reject_detail": None}
    if isinstance(document.data, Rejection):
        key = (document.data.reason not in (WARC_DAMAGED, UNREADABLE) and document.url) or document.origin
        return {**row, "document_id": hashlib.sha256(f"{document.data.reason}|{key}".encode()).hexdigest(),
                "size_bytes": 0, "reject_reason": document.data.reason, "reject_detail": document.data.detail}
    row.update(document_id=document_id(document.data), size_bytes=len(document.data))
    if len(document.data) > max_bytes:
        row.update(reject_reason=TOO_LARGE, reject_detail=f"over the size cap of {max_bytes} bytes")
    return row

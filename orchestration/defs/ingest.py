"""Ingest: input files → content-addressed raw store and a manifest of the run's documents."""

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import datetime, UTC
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.defs.metadata import frame_metadata
from orchestration.resources import KabarResource
from orchestration.settings import BUNDLED_SAMPLES, load_settings
from transforms.documents import (TOO_LARGE, UNREADABLE, InputDocument, Rejection, discover_inputs, display_path,
                                  document_id, find_inputs)
from transforms.inputs import read_inputs
from transforms.warc import WARC_DAMAGED, WarcCounts
from warehouse.io import all_documents, seen_document_ids

NEW, DUPLICATE, SEEN = "new", "duplicate", "seen"
GONE = "no such file or folder (gone before the run read it)"
MANIFEST_SCHEMA = {
    "document_id": pl.String, "origin": pl.String, "url": pl.String, "size_bytes": pl.Int64,
    "first_seen_at": pl.Datetime("us", "UTC"), "fetched_at": pl.Datetime("us", "UTC"), "status": pl.String,
    "reject_reason": pl.String, "reject_detail": pl.String,
}


class IngestConfig(dg.Config):
    """Which inputs a run reads."""

    paths: list[str] = []
    reprocess: bool = False


def default_input_paths() -> list[str]:
    """``KABAR_INBOX`` when set, else the bundled sample corpus."""
    settings = load_settings()
    return [str(settings.inbox if settings.inbox else BUNDLED_SAMPLES)]


@dg.asset(group_name="ingest", description="Input documents of this run, stored content-addressed; "
          "status says which are new, duplicates within the run, or already committed.")
def raw_documents(context: dg.AssetExecutionContext, config: IngestConfig, kabar: KabarResource) -> dg.Output[pl.DataFrame]:
    now = datetime.now(UTC)
    store = kabar.raw_store
    rows: list[dict] = []
    known: set[str] = set()   # document ids already in the manifest
    if config.reprocess:
        with kabar.warehouse() as con:
            for stored in all_documents(con).iter_rows(named=True):
                if stored["document_id"] not in store:
                    continue  # rejected before storing (too large, unreadable): its reject stands
                known.add(stored["document_id"])
                rows.append({**stored, "status": NEW, "reject_reason": None, "reject_detail": None})
    paths = [Path(p) for p in (config.paths or ([] if config.reprocess else default_input_paths()))]
    archives = WarcCounts()
    # A file a sensor saw may be gone by now: a notice, like any input that is not a file, never a failed run.
    found = find_inputs([path for path in paths if os.path.lexists(path)])
    not_read = [(display_path(path), GONE) for path in paths if not os.path.lexists(path)] + found.skipped
    for path, why in not_read:
        context.log.warning(f"not read: {path} ({why})")
    rows += store_documents(read_inputs(found.files, archives, kabar.max_document_bytes), known, kabar, now)
    manifest = pl.DataFrame(rows, schema=MANIFEST_SCHEMA)
    if not config.reprocess:
        manifest = mark_seen(manifest, kabar)
    counts = dict(manifest.group_by("status").len().iter_rows())
    context.log.info(f"documents in: {manifest.height} ({json.dumps(counts)}); WARC records skipped: "
                     f"{json.dumps(dict(archives.skipped))}")
    return dg.Output(manifest, metadata=frame_metadata(
        manifest, **{f"{s}_count": counts.get(s, 0) for s in (NEW, DUPLICATE, SEEN)},
        warc_records_skipped=dg.MetadataValue.json(dict(archives.skipped)),
        inputs_not_read=dg.MetadataValue.json([{"path": path, "why": why} for path, why in not_read])))


def store_documents(documents: Iterable[InputDocument], known: set[str], kabar: KabarResource,
                    now: datetime) -> list[dict]:
    """Manifest rows of ``documents``, each new one's bytes put in the raw store; a document whose id is
    in ``known`` (earlier in this batch) is a ``duplicate``. Adds the new ids to ``known``."""
    rows = []
    for document in documents:
        row = manifest_row(document, now, kabar.max_document_bytes)
        row["status"] = DUPLICATE if row["document_id"] in known else NEW
        if row["status"] == NEW and row["reject_reason"] is None:
            kabar.raw_store.put(row["document_id"], document.data)   # a full disk fails the batch, not a page
        known.add(row["document_id"])
        rows.append(row)
    return rows


def mark_seen(manifest: pl.DataFrame, kabar: KabarResource) -> pl.DataFrame:
    """New documents the warehouse already holds become ``seen``: re-reading an input loads nothing twice."""
    with kabar.warehouse() as con:
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


def _input_files(folder: Path) -> dict[str, str]:
    """Every input file in ``folder`` with a fingerprint of its size and modification time."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in discover_inputs([folder]):
        try:
            stat = path.stat()
        except OSError:   # gone since the folder was listed: the next tick sees what is there
            continue
        found[str(path)] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return found


def new_files_run_request(context: dg.SensorEvaluationContext, folder: Path):
    """A run over the files in ``folder`` that are new or changed since the cursor."""
    current = _input_files(folder)
    seen = json.loads(context.cursor) if context.cursor else {}
    fresh = sorted(path for path, fingerprint in current.items() if seen.get(path) != fingerprint)
    if not fresh:
        return dg.SkipReason(f"no new files in {folder}")
    context.update_cursor(json.dumps(current))
    run_key = hashlib.sha256("\n".join(f"{p}|{current[p]}" for p in fresh).encode()).hexdigest()
    return dg.RunRequest(run_key=run_key, run_config={"ops": {"raw_documents": {"config": {"paths": fresh}}}})


@dg.sensor(job_name="kabar_run_job", minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Starts a run when new or changed pages or WARC archives land in KABAR_INBOX.")
def inbox_sensor(context: dg.SensorEvaluationContext):
    settings = load_settings()
    if settings.inbox is None:
        return dg.SkipReason("KABAR_INBOX is not set")
    return new_files_run_request(context, settings.inbox)

"""A WARC archive as one staged unit (a backfill partition): no warehouse access, so archives are
staged side by side and loaded together by the single writer (``pipeline.load``)."""
from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import datetime, UTC
from pathlib import Path

import polars as pl

from pipeline.config import Config
from pipeline.ingest import MANIFEST_SCHEMA, Notices, open_raw_store, store_documents
from pipeline.journal import Journal
from pipeline.process import ChunkResult, chunk_frames
from pipeline.staging import open_staging
from transforms.warc import WarcCounts, read_warc


class UnknownPartition(KeyError):
    """A partition key no archive was registered under."""

    def __str__(self) -> str:
        return f"no archive registered for partition {self.args[0]!r}: add it with `kabar backfill FILE`"


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
            raise UnknownPartition(key)
        return Path(known[key])

    def _read(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}


def stage_archive(config: Config, archive: Path, unit: str, attempt: int = 0) -> ChunkResult:
    """Stream ``archive`` chunk by chunk (``config.chunk_documents`` records in memory at once) into
    staged unit ``unit``; already loaded documents are found by the loader. ``attempt`` counts the
    step's retries (``pipeline.journal``)."""
    now = datetime.now(UTC)
    store, skipped, known = open_raw_store(config), WarcCounts(), set()
    documents = articles = rejects = 0
    records = read_warc(archive, skipped, config.max_document_bytes)
    staging = open_staging(config)
    journal = Journal(staging.journal_path(unit), attempt)
    with staging.unit(unit) as writer:
        while batch := [record for _, record in zip(range(config.chunk_documents), records)]:
            manifest = pl.DataFrame(store_documents(batch, known, store, now, config.max_document_bytes),
                                    schema=MANIFEST_SCHEMA)
            frames = chunk_frames(config, manifest, now, journal)
            writer.add(frames)
            documents += manifest.height
            articles += frames["articles"].height
            rejects += frames["rejects"].height
        writer.notices = Notices(records_skipped=dict(skipped.skipped))
    journal.close()
    return ChunkResult(unit, documents, articles, rejects)

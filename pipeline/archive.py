"""A WARC archive as one staged unit (a backfill partition): no warehouse access, so archives are
staged side by side and loaded together by the single writer (``pipeline.load``).

An archive is a local file, an ``http(s)://`` URL or an ``s3://bucket/key`` object
(``pipeline.archive_sources``), with the hosts whose records a backfill keeps (none: every host).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from urllib.parse import urlsplit

import polars as pl

from pipeline.archive_sources import is_remote, open_location
from pipeline.config import Config
from pipeline.ingest import MANIFEST_SCHEMA, Notices, open_raw_store, store_documents
from pipeline.journal import Journal
from pipeline.process import ChunkResult, chunk_frames
from pipeline.staging import open_staging
from transforms.documents import InputDocument
from transforms.progress import Counter
from transforms.warc import WarcCounts, read_warc, read_warc_stream
from warehouse.storage import Storage


class UnknownPartition(KeyError):
    """A partition key no archive was registered under."""

    def __str__(self) -> str:
        return f"no archive registered for partition {self.args[0]!r}: add it with `kabar backfill FILE`"


@dataclass(frozen=True)
class Archive:
    """A registered archive: an absolute local path or a URL, and the hosts whose records it keeps."""

    location: str
    hosts: tuple[str, ...] = ()


def partition_key(location: str | Path) -> str:
    """A readable key that names one archive: its file name and a hash of its absolute path or URL."""
    full = _full_location(location)
    name = urlsplit(full).path.rsplit("/", 1)[-1] if is_remote(full) else Path(full).name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80]
    return f"{stem}-{hashlib.sha256(full.encode()).hexdigest()[:10]}"


class ArchiveRegistry:
    """Which archive each partition key stands for: ``warc_partitions.json`` (key → location and hosts)
    in the staging storage, so a worker on any machine finds the archive of the partition it is given.

    Registries of earlier versions were ``$KABAR_HOME/warc_partitions.json`` (``legacy``), some mapping
    key → path; they are still read, and carried over at the next registration."""

    KEY = "warc_partitions.json"

    def __init__(self, storage: Storage, legacy: Path | None = None):
        self.storage, self.legacy = storage, legacy

    def register(self, archives: list[str | Path], hosts: tuple[str, ...] = ()) -> list[str]:
        """Register ``archives`` (paths or URLs) with ``hosts``, replacing what a key held before."""
        known = self._read()
        keys = [partition_key(archive) for archive in archives]
        known.update({key: {"location": _full_location(archive), "hosts": list(hosts)}
                      for key, archive in zip(keys, archives)})
        self.storage.write(self.KEY, json.dumps(known, indent=1, sort_keys=True).encode())
        return keys

    def archive(self, key: str) -> Archive:
        known = self._read()
        if key not in known:
            raise UnknownPartition(key)
        entry = known[key]
        if isinstance(entry, str):
            return Archive(entry)
        return Archive(entry["location"], tuple(entry.get("hosts", ())))

    def _read(self) -> dict[str, str | dict]:
        if self.storage.exists(self.KEY):
            return json.loads(self.storage.read(self.KEY))
        return json.loads(self.legacy.read_text()) if self.legacy and self.legacy.exists() else {}


def open_registry(config: Config) -> ArchiveRegistry:
    """The registry of ``config``'s deployment, beside its staged units."""
    return ArchiveRegistry(open_staging(config).storage, legacy=config.home / ArchiveRegistry.KEY)


def _full_location(location: str | Path) -> str:
    text = str(location)
    return text if is_remote(text) else str(Path(text).resolve())


@contextmanager
def archive_records(config: Config, archive: Archive, counts: WarcCounts) -> Iterator[Iterator[InputDocument]]:
    """The documents of ``archive``, streamed: a local file as ``read_warc`` reads it (a file gone is a
    rejection), a remote one through ``open_location`` (one that cannot be read fails the step)."""
    if not is_remote(archive.location):
        yield read_warc(Path(archive.location), counts, config.max_document_bytes, archive.hosts)
        return
    with open_location(config, archive.location) as stream:
        yield read_warc_stream(stream, archive.location, counts, config.max_document_bytes, archive.hosts)


def stage_archive(config: Config, archive: Archive, unit: str, attempt: int = 0) -> ChunkResult:
    """Stream ``archive`` chunk by chunk (``config.chunk_documents`` records in memory at once) into
    staged unit ``unit``; already loaded documents are found by the loader. ``attempt`` counts the
    step's retries (``pipeline.journal``)."""
    now = datetime.now(UTC)
    store, skipped, known = open_raw_store(config), WarcCounts(), set()
    documents = articles = rejects = 0
    staging = open_staging(config)
    journal = Journal(staging.journal_path(unit), attempt)
    processing = Counter("processing", unit)   # no total: an archive's records are counted as they come
    with archive_records(config, archive, skipped) as records, staging.unit(unit) as writer:
        while batch := [record for _, record in zip(range(config.chunk_documents), records)]:
            manifest = pl.DataFrame(store_documents(batch, known, store, now, config.max_document_bytes),
                                    schema=MANIFEST_SCHEMA)
            frames = chunk_frames(config, manifest, now, journal, processing)
            writer.add(frames)
            documents += manifest.height
            articles += frames["articles"].height
            rejects += frames["rejects"].height
        writer.notices = Notices(records_skipped=dict(skipped.skipped))
    journal.close()
    processing.finish(documents)
    return ChunkResult(unit, documents, articles, rejects)

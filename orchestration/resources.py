"""The warehouse and state folders as a Dagster resource."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from orchestration.settings import (DEFAULT_BUSY_TIMEOUT_SECONDS, DEFAULT_MAX_QUARANTINED_SHARE, Settings,
                                    load_settings)
from orchestration.writer_lock import exclusive_run
from transforms.documents import DEFAULT_MAX_DOCUMENT_BYTES
from warehouse.io import open_warehouse
from warehouse.raw_store import RawStore


# Runs that never write the warehouse: crawls (their archives are loaded by a run of their own) and WARC
# staging (Parquet under its own partition folder). Every other run, the UI's asset runs included,
# takes the home's writer lock.
NON_WRITER_JOBS = frozenset({"crawl_job", "warc_partition_job"})
STAGING_ASSETS = frozenset({dg.AssetKey("warc_staged")})


class KabarResource(dg.ConfigurableResource):
    """State folder, warehouse file and run limits; one instance per run. A run of a writer job
    holds the home's writer lock while it executes, however it was launched (CLI, UI, sensor,
    schedule), and first stops the processes that killed runs left behind."""

    home: str
    warehouse_path: str
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    workers: int = max(1, min(2, os.cpu_count() or 1))
    max_quarantined_share: float = DEFAULT_MAX_QUARANTINED_SHARE
    busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings, **limits) -> KabarResource:
        return cls(home=str(settings.home), warehouse_path=str(settings.warehouse),
                   max_quarantined_share=settings.max_quarantined_share,
                   busy_timeout_seconds=settings.busy_timeout_seconds, **limits)

    @classmethod
    def from_environment(cls) -> KabarResource:
        return cls.from_settings(load_settings())

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[KabarResource]:
        run = context.run
        if run is None or run.job_name in NON_WRITER_JOBS or (run.asset_selection and run.asset_selection <= STAGING_ASSETS):
            yield self
            return
        with exclusive_run(Path(self.home), wait_seconds=self.busy_timeout_seconds,
                           on_wait=lambda message: context.log.warning(message) if context.log else None):
            yield self

    @property
    def raw_store(self) -> RawStore:
        return RawStore(Path(self.home) / "raw")

    @property
    def data_docs_dir(self) -> Path:
        return Path(self.home) / "data_docs"

    def warehouse(self, *, read_only: bool = False):
        """A migrated connection as a context manager (closed promptly: DuckDB locks the file)."""
        return open_warehouse(self.warehouse_path, read_only=read_only, wait_seconds=self.busy_timeout_seconds)

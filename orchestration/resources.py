"""The warehouse and state folders as a Dagster resource."""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.settings import load_settings
from transforms.documents import DEFAULT_MAX_DOCUMENT_BYTES
from warehouse.io import open_warehouse
from warehouse.raw_store import RawStore


class KabarResource(dg.ConfigurableResource):
    """State folder, warehouse file and run limits; one instance per run."""

    home: str
    warehouse_path: str
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    workers: int = max(1, min(2, os.cpu_count() or 1))

    @classmethod
    def from_environment(cls) -> KabarResource:
        settings = load_settings()
        return cls(home=str(settings.home), warehouse_path=str(settings.warehouse))

    @property
    def raw_store(self) -> RawStore:
        return RawStore(Path(self.home) / "raw")

    @property
    def data_docs_dir(self) -> Path:
        return Path(self.home) / "data_docs"

    def warehouse(self, *, read_only: bool = False):
        """A migrated connection as a context manager (closed promptly: DuckDB locks the file)."""
        return open_warehouse(self.warehouse_path, read_only=read_only)

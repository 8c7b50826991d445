"""The pipeline's configuration as a Dagster resource, and the writer lock its loads hold."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from orchestration.writer_lock import exclusive_run
from pipeline.config import (DEFAULT_BUSY_TIMEOUT_SECONDS, DEFAULT_CC_BASE_URL, DEFAULT_CHUNK_DOCUMENTS,
                             DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_MAX_QUARANTINED_SHARE, Config)
from transforms.documents import DEFAULT_MAX_DOCUMENT_BYTES
from transforms.entities.models import ID_MODEL_DIR


class KabarResource(dg.ConfigurableResource):
    """The resolved ``Config`` (``pipeline.config``) of a run; every asset hands ``config`` to one
    ``pipeline`` function."""

    home: str
    warehouse_path: str
    inbox: str | None = None
    sources: str | None = None
    max_quarantined_share: float = DEFAULT_MAX_QUARANTINED_SHARE
    busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    chunk_documents: int = DEFAULT_CHUNK_DOCUMENTS
    id_ner_model: str = str(ID_MODEL_DIR)
    raw_store: str | None = None
    staging: str | None = None
    dagster_io: str | None = None
    s3_endpoint: str | None = None
    dagster_yaml: str | None = None
    celery_broker: str | None = None
    max_archive_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    cc_base_url: str = DEFAULT_CC_BASE_URL

    @classmethod
    def from_config(cls, config: Config) -> KabarResource:
        values = json.loads(config.to_json())
        values["warehouse_path"] = values.pop("warehouse")
        return cls(**values)

    @property
    def config(self) -> Config:
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values["warehouse"] = values.pop("warehouse_path")
        return Config.from_json(json.dumps(values))

    @contextmanager
    def writing(self, log: dg.DagsterLogManager | None = None, run_owner: str | None = None) -> Iterator[Config]:
        """The home's writer lock while a step writes the warehouse, however its run was launched (CLI,
        UI, sensor, schedule): another run's load waits, saying for whom, up to the busy timeout; the
        lock its own `kabar` process (``run_owner``) holds is its own."""
        with exclusive_run(Path(self.home), wait_seconds=self.busy_timeout_seconds,
                           on_wait=lambda message: log.warning(message) if log else None, run_owner=run_owner):
            yield self.config

"""The pipeline's configuration as a Dagster resource, and the writer lock its loads hold."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from orchestration.writer_lock import exclusive_run
from pipeline.config import DEFAULT_BUSY_TIMEOUT_SECONDS, DEFAULT_CHUNK_DOCUMENTS, DEFAULT_MAX_QUARANTINED_SHARE, Config
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

    @classmethod
    def from_config(cls, config: Config) -> KabarResource:
        return cls(home=str(config.home), warehouse_path=str(config.warehouse),
                   inbox=str(config.inbox) if config.inbox else None,
                   sources=str(config.sources) if config.sources else None,
                   max_quarantined_share=config.max_quarantined_share, busy_timeout_seconds=config.busy_timeout_seconds,
                   max_document_bytes=config.max_document_bytes, chunk_documents=config.chunk_documents,
                   id_ner_model=str(config.id_ner_model))

    @property
    def config(self) -> Config:
        return Config(home=Path(self.home), warehouse=Path(self.warehouse_path),
                      inbox=Path(self.inbox) if self.inbox else None, sources=Path(self.sources) if self.sources else None,
                      max_quarantined_share=self.max_quarantined_share, busy_timeout_seconds=self.busy_timeout_seconds,
                      max_document_bytes=self.max_document_bytes, chunk_documents=self.chunk_documents,
                      id_ner_model=Path(self.id_ner_model))

    @contextmanager
    def writing(self, log: dg.DagsterLogManager | None = None) -> Iterator[Config]:
        """The home's writer lock while a step writes the warehouse, however its run was launched (CLI,
        UI, sensor, schedule): another run's load waits, saying for whom, up to the busy timeout."""
        with exclusive_run(Path(self.home), wait_seconds=self.busy_timeout_seconds,
                           on_wait=lambda message: log.warning(message) if log else None):
            yield self.config

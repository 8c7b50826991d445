"""One batch end to end without Dagster: ingest, process each chunk in turn, load.

``kabar run`` runs the same steps as Dagster assets (so the UI shows them and an executor can spread
the chunks over processes); this is the path for Python users and tests::

    from pipeline.config import load_config
    from pipeline.run import run_batch
    report = run_batch(load_config(), [Path("pages/")])
"""
from __future__ import annotations

import uuid
from datetime import datetime, UTC
from pathlib import Path

from pipeline.chunks import cut, unit_name
from pipeline.config import Config
from pipeline.ingest import ingest
from pipeline.load import load_staged
from pipeline.process import process_chunk
from pipeline.report import LoadReport


def run_batch(config: Config, paths: list[Path], *, reprocess: bool = False) -> LoadReport:
    """Ingest ``paths``, stage them chunk by chunk, and load everything staged."""
    now = datetime.now(UTC)
    batch = uuid.uuid4().hex[:12]
    ingested = ingest(config, paths, now, reprocess=reprocess)
    for index, chunk in enumerate(cut(ingested.manifest, config.chunk_documents)):
        process_chunk(config, chunk, unit_name(batch, index), now, ingested.notices if index == 0 else None)
    return load_staged(config).report

"""Where a run's steps execute, chosen by run configuration alone (Dagster's default executor):
in the run's own process, or on Dagster's multiprocess executor (forkserver, the models preloaded
once per worker; ``pipeline.warm``)."""
from __future__ import annotations

import os
from pathlib import Path

from transforms.warc import is_warc_path

# Below this many documents a run stays in one process: worker processes cost ~10 s to start and load
# the models, more than they save (measured by `make bench`, "executors").
PARALLEL_FROM_DOCUMENTS = 400
_WARC_BYTES_PER_DOCUMENT = 40_000   # an archive's pages, compressed, with their headers
PRELOADED = ["pipeline.warm"]


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def execution_config(workers: int) -> dict:
    """The ``execution`` section of a run's config for ``workers`` processes (1: in-process)."""
    if workers <= 1:
        return {"config": {"in_process": {}}}
    return {"config": {"multiprocess": {
        "max_concurrent": workers, "start_method": {"forkserver": {"preload_modules": PRELOADED}}}}}


def workers_for(files: list[Path], *, reprocess: bool = False) -> int:
    """Processes for a run over ``files`` (from ``find_inputs``): ``default_workers()`` from
    ``PARALLEL_FROM_DOCUMENTS`` documents on (a reprocess reads every stored one), else 1."""
    large = reprocess or estimated_documents(files) >= PARALLEL_FROM_DOCUMENTS
    return default_workers() if large else 1


def estimated_documents(files: list[Path]) -> int:
    """About how many documents ``files`` hold: one a page file, an archive's size over a typical record's."""
    total = 0
    for path in files:
        if is_warc_path(path):
            try:
                total += path.stat().st_size // _WARC_BYTES_PER_DOCUMENT + 1
            except OSError:
                total += 1
        else:
            total += 1
    return total

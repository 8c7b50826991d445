"""Where a run's steps execute, chosen by run configuration alone (Dagster's default executor):
in the run's own process, or on Dagster's multiprocess executor (forkserver, the models preloaded
once per run; ``pipeline.warm``)."""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from pathlib import Path

from dagster._core.instance.ref import InstanceRef

from pipeline.config import Config
from transforms.documents import document_id, read_document_bytes
from transforms.warc import is_warc_path
from warehouse.io import open_warehouse, seen_document_ids

# Below this many new documents a run stays in one process. `make bench` ("where the workers start to
# pay", medians of 3 rounds): 2 workers break even at about 59 pages and gain 1.22x at 100, 1.16x at
# 200, 1.45x at 400; below 200 the gain is within the machine's noise, and one process uses half the CPU.
PARALLEL_FROM_DOCUMENTS = 200
_WARC_BYTES_PER_DOCUMENT = 40_000   # an archive's pages, compressed, with their headers
# Pages hashed to estimate how many are new: the estimate only picks 1 or 2 processes, and hashing every
# page here as well as in the ingest step cost 0.4 s of a 4.3 s re-run of 1,000 loaded pages (0.03 s for
# 64). Spread evenly, 64 pages put a folder's new share within about 6 points (one standard error); near
# the threshold either choice costs about the same.
PAGE_SAMPLE = 64
# What the forkserver imports before forking step processes: the models and caches, and the job built
# once (``orchestration.run`` rebuilds it in each step: what Dagster preloads by default). Each step
# process also opens the instance, whose storage modules cost ~0.65 s to import; ``step_preload`` adds them.
PRELOADED = ["pipeline.warm", "orchestration.step_warm"]
_EXECUTOR_MODULE = "dagster._core.executor.multiprocess"   # Dagster's executor preloads it first


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


# What the coordinator's Celery client sends with each step (the workers' own settings are in
# deploy/celery/dagster_celery_config.py): a step is acknowledged only once it finished, so the step of
# a worker that died is delivered to another (Redis does so after the visibility timeout).
CELERY_SETTINGS = {"task_acks_late": True, "task_reject_on_worker_lost": True, "worker_prefetch_multiplier": 1}


def execution_config(workers: int, preload: list[str] | None = None, *, celery_broker: str | None = None) -> dict:
    """The ``execution`` section of a run's config: the steps on the Celery workers behind
    ``celery_broker``, else on ``workers`` processes (1: in-process), the forkserver importing
    ``preload`` (default ``PRELOADED``)."""
    if celery_broker:
        return {"config": {"broker": celery_broker, "backend": celery_broker, "config_source": CELERY_SETTINGS}}
    if workers <= 1:
        return {"config": {"in_process": {}}}
    return {"config": {"multiprocess": {
        "max_concurrent": workers, "start_method": {"forkserver": {"preload_modules": preload or PRELOADED}}}}}


def step_preload(ref: InstanceRef) -> list[str]:
    """``PRELOADED`` and the modules of the storages, launcher and coordinator of the instance ``ref``
    describes (SQLite here, PostgreSQL on a cluster), so a step process opens the instance in ~0.07 s,
    not ~0.7 s."""
    parts = (ref.local_artifact_storage_data, ref.storage_data, ref.run_storage_data, ref.event_storage_data,
             ref.schedule_storage_data, ref.compute_logs_data, ref.scheduler_data, ref.run_coordinator_data,
             ref.run_launcher_data)
    return [*PRELOADED, *sorted({part.module_name for part in parts if part is not None})]


def start_step_server(preload: list[str]) -> None:
    """Start the forkserver the multiprocess executor forks step processes from, importing ``preload``
    while the run is still being set up (opening the instance, creating the run: ~1.2 s of the ~9 s
    warm-up). The executor finds it running and forks from it; multiprocessing keeps one per process."""
    multiprocessing.get_context("forkserver").set_forkserver_preload([_EXECUTOR_MODULE, *preload])
    multiprocessing.forkserver.ensure_running()


def workers_for(files: list[Path], config: Config, *, reprocess: bool = False) -> int:
    """Processes for a run over ``files`` (from ``find_inputs``): ``default_workers()`` from
    ``PARALLEL_FROM_DOCUMENTS`` new documents on (a reprocess reads every stored one), else 1, so a
    second run over the same folder does not start workers for nothing."""
    large = reprocess or new_documents(files, config) >= PARALLEL_FROM_DOCUMENTS
    return default_workers() if large else 1


def new_documents(files: list[Path], config: Config) -> int:
    """About how many of the documents in ``files`` the warehouse does not hold: of at most
    ``PAGE_SAMPLE`` page files spread evenly over the list, those whose bytes it has not loaded, scaled
    to every page; and an archive's size over a typical record's (its records are not read twice)."""
    pages, archives = [], 0
    for path in files:
        if is_warc_path(path):
            try:
                archives += path.stat().st_size // _WARC_BYTES_PER_DOCUMENT + 1
            except OSError:
                archives += 1
        else:
            pages.append(path)
    sample = [pages[i * len(pages) // PAGE_SAMPLE] for i in range(PAGE_SAMPLE)] if len(pages) > PAGE_SAMPLE else pages
    ids = []
    for path in sample:
        data = read_document_bytes(path, config.max_document_bytes)
        ids.append(document_id(data) if isinstance(data, bytes) else str(path))
    new = len(set(ids) - _loaded(ids, config))
    return archives + (new * len(pages) + len(sample) // 2) // max(1, len(sample))


def _loaded(document_ids: list[str], config: Config) -> set[str]:
    """Which of ``document_ids`` the warehouse holds; none when it does not exist yet or is busy."""
    if not config.warehouse.exists():
        return set()
    try:
        with open_warehouse(config.warehouse, read_only=True) as con:
            return seen_document_ids(con, document_ids)
    except Exception:   # noqa: BLE001 - a busy or older warehouse: count them all as new
        return set()

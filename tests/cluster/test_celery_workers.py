"""The cluster deployment end to end: PostgreSQL instance, steps on two Celery workers through Redis,
raw store, staging and step logs on S3; `kabar backfill` and `kabar run` load exactly the rows the
local deployment loads from the same inputs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.config import BUNDLED_SAMPLES
from tests.holders import ROOT
from tests.servers import celery_worker
from tests.warcs import sample_pages, write_archive
from tests.warehouse_rows import warehouse_rows
from warehouse.storage import S3Bucket

_ARCHIVES, _PAGES_EACH = 4, 3


def _kabar(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _archives(folder: Path) -> Path:
    folder.mkdir()
    pages = sample_pages(_ARCHIVES * _PAGES_EACH)
    for index in range(_ARCHIVES):
        write_archive(folder / f"part-{index}.warc.gz", pages[index * _PAGES_EACH:(index + 1) * _PAGES_EACH])
    return folder


def _succeeded_tasks(log: Path) -> int:
    return sum("succeeded in" in line for line in log.read_text().splitlines())


def test_backfill_and_run_on_celery_workers_load_what_the_local_deployment_loads(
        tmp_path, cluster_env, plain_env, bucket, s3_env):
    archives = _archives(tmp_path / "warcs")
    shared = cluster_env
    cluster = {**shared, "KABAR_HOME": str(tmp_path / "cluster")}
    local = {**plain_env, "KABAR_HOME": str(tmp_path / "local")}
    workers = tmp_path / "workers"
    with celery_worker("loader", ["dagster", "warehouse"], shared, workers), \
            celery_worker("other", ["dagster"], shared, workers):
        for env in (cluster, local):
            _kabar(env, "backfill", str(archives))
            _kabar(env, "run", str(BUNDLED_SAMPLES))
    assert warehouse_rows(tmp_path / "cluster" / "warehouse.duckdb") == warehouse_rows(tmp_path / "local" / "warehouse.duckdb")
    assert _succeeded_tasks(workers / "loader.log") >= 1 and _succeeded_tasks(workers / "other.log") >= 1
    # Nothing a worker needs is on the coordinator's disk: outputs, raw pages and units are in the bucket.
    assert S3Bucket(bucket, endpoint_url=s3_env.endpoint).keys("dagster-io/")
    assert not any((tmp_path / "cluster" / part).exists() for part in ("storage", "raw", "staging"))

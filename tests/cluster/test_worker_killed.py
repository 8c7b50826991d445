"""A Celery worker killed (SIGKILL) in the middle of a backfill: its step is delivered to the other
worker, and every document is loaded exactly once, as the local deployment loads them."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cluster.events import running_steps, steps_taken_by, wait_for
from tests.holders import ROOT
from tests.servers import celery_worker
from tests.warcs import sample_pages, write_archive
from tests.warehouse_rows import warehouse_rows

_ARCHIVES, _PAGES_EACH = 4, 40
_VISIBILITY_SECONDS = 15   # how long Redis keeps a lost worker's step before delivering it again


def _archives(folder: Path) -> Path:
    """Archives of distinct pages, long enough (a step of several seconds) to kill a worker inside one."""
    folder.mkdir()
    samples = sample_pages(20)
    pages = [(f"{url}-{index}", body + f"<!-- copy {index} -->".encode())
             for index in range(_ARCHIVES * _PAGES_EACH // len(samples) + 1) for url, body in samples]
    for number in range(_ARCHIVES):
        write_archive(folder / f"part-{number}.warc.gz", pages[number * _PAGES_EACH:(number + 1) * _PAGES_EACH])
    return folder


def test_a_worker_killed_mid_step_loses_nothing_and_loads_nothing_twice(tmp_path, cluster_home, plain_env):
    archives = _archives(tmp_path / "warcs")
    instance, workers = cluster_home.instance, tmp_path / "workers"
    shared = {**cluster_home.env, "KABAR_CELERY_VISIBILITY_TIMEOUT": str(_VISIBILITY_SECONDS)}
    command = [sys.executable, "-m", "orchestration.cli", "backfill", str(archives)]
    with celery_worker("loader", ["dagster", "warehouse"], shared, workers), \
            celery_worker("doomed", ["dagster"], shared, workers) as doomed:
        backfill = subprocess.Popen(command, cwd=ROOT, env=shared, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
        [lost, *_] = wait_for(lambda: sorted(step for step in set(steps_taken_by(instance, "doomed")) & running_steps(instance)
                                             if "stage_one_archive" in step),
                              "an archive's step starts on the doomed worker (the event log)", 300)
        time.sleep(1.0)   # inside the step: archives take several seconds each
        doomed.send_signal(signal.SIGKILL)
        out, err = backfill.communicate(timeout=600)
    assert backfill.returncode == 0, out[-3000:] + err[-3000:]
    assert lost in steps_taken_by(instance, "loader")   # the lost step, delivered to the other worker
    local = subprocess.run(command, cwd=ROOT, env={**plain_env, "KABAR_HOME": str(tmp_path / "local")},
                           capture_output=True, text=True, timeout=900)
    assert local.returncode == 0, local.stdout[-3000:]
    rows = warehouse_rows(tmp_path / "cluster" / "warehouse.duckdb")
    assert rows == warehouse_rows(tmp_path / "local" / "warehouse.duckdb")
    assert len(rows["documents"]) == _ARCHIVES * _PAGES_EACH   # every record once (copies of a page: superseded)
    assert not any("extraction_error" in row or "entities_error" in row for row in rows["rejects"])   # nothing blamed

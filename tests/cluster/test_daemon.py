"""The cluster's Dagster daemon watches the runs `kabar` commands coordinate: a `kabar run` killed
(SIGKILL) while its step runs on a Celery worker is failed by the daemon, and its writer slot freed,
before any other command runs; the next run then loads what the local deployment loads."""
from __future__ import annotations

import subprocess
import sys

import dagster as dg

from tests.cluster.events import running_steps, steps_taken_by, wait_for
from tests.holders import ROOT
from tests.pages import indonesian_page, write_inputs
from tests.servers import celery_worker, dagster_daemon
from tests.warehouse_rows import warehouse_rows

_NOTICED_SECONDS = 180   # the sensor's 30 s interval and the daemon's own loop, with room on a busy machine


def _run(env: dict[str, str], folder) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run", str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_daemon_fails_a_run_whose_kabar_process_was_killed_and_frees_its_slot(tmp_path, cluster_home, plain_env):
    pages = write_inputs(tmp_path / "pages", **{f"p{i}__html": indonesian_page(url=f"https://kabarnusa.co.id/p/{i}")
                                                for i in range(12)})
    env, instance, workers = cluster_home.env, cluster_home.instance, tmp_path / "workers"
    with dagster_daemon(env, cluster_home.dagster_home, tmp_path / "daemon"), \
            celery_worker("loader", ["dagster", "warehouse"], env, workers):
        killed = _run(env, pages)
        wait_for(lambda: set(steps_taken_by(instance, "loader")) & running_steps(instance), "a step starts on the worker", 300)
        killed.kill()
        killed.communicate()
        [run] = instance.get_runs()
        wait_for(lambda: instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE,
                  "the daemon fails the run", _NOTICED_SECONDS)
        [failure] = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert f"its process {killed.pid} ended before the run finished" in failure.message
        assert instance.event_log_storage.get_concurrency_info("warehouse").claimed_slots == []
        again = _run(env, pages)
        out, err = again.communicate(timeout=900)
    assert again.returncode == 0, out[-3000:] + err[-3000:]
    assert "marked failed" not in out   # the daemon had done it
    local = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", str(pages)], cwd=ROOT,
                           env={**plain_env, "KABAR_HOME": str(tmp_path / "local")}, capture_output=True, text=True)
    assert local.returncode == 0, local.stderr[-3000:]
    assert warehouse_rows(tmp_path / "cluster" / "warehouse.duckdb") == warehouse_rows(tmp_path / "local" / "warehouse.duckdb")

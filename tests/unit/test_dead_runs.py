"""A run whose `kabar` process died is failed and its writer slot freed, by the daemon's sensor or
the next command (``orchestration.dead_runs``); runs of live processes and of other hosts are left."""
from __future__ import annotations

import os
import socket
import subprocess
import uuid

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRun

from orchestration.defs.runs import dead_runs_sensor
from orchestration.orphans import RUN_HOST_TAG, RUN_PID_TAG


def _started_run(instance: dg.DagsterInstance, host: str, pid: int) -> str:
    run = DagsterRun(job_name="kabar_run_job", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED,
                     tags={RUN_HOST_TAG: host, RUN_PID_TAG: str(pid)})
    instance.add_run(run)
    return run.run_id


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_sensor_fails_the_runs_of_dead_processes_on_its_host_and_frees_their_slots():
    with dg.instance_for_test() as instance:
        dead = _started_run(instance, socket.gethostname(), _dead_pid())
        alive = _started_run(instance, socket.gethostname(), os.getpid())
        elsewhere = _started_run(instance, "another-host", _dead_pid())   # judged by a daemon on its own host
        instance.event_log_storage.set_concurrency_slots("warehouse", 1)
        instance.event_log_storage.claim_concurrency_slot("warehouse", dead, "warehouse_tables")

        result = dead_runs_sensor(dg.build_sensor_context(instance=instance))

        assert result.skip_message == "1 dead run(s) released"
        statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in (dead, alive, elsewhere)}
        assert statuses == {dead: dg.DagsterRunStatus.FAILURE, alive: dg.DagsterRunStatus.STARTED,
                            elsewhere: dg.DagsterRunStatus.STARTED}
        assert instance.event_log_storage.get_concurrency_info("warehouse").claimed_slots == []
        assert dead_runs_sensor(dg.build_sensor_context(instance=instance)).skip_message == \
            "every run's process is alive"

"""Runs whose `kabar` process died (SIGKILL, out of memory, a lost host's reboot) are ended, not left
"started" for ever holding the single `warehouse` writer slot.

The `kabar` command is the run's coordinator (``orchestration.run``): Dagster's default run launcher
cannot health-check it, so Dagster's run monitoring never notices it gone. Every run it starts is
tagged with its host and PID; whoever runs on that host can tell whether the PID is still alive:
the next `kabar` command, and the daemon's ``dead_runs_sensor`` (``orchestration.defs.runs``).
"""
from __future__ import annotations

import os
import socket

import dagster as dg

from orchestration.orphans import RUN_HOST_TAG, RUN_PID_TAG, process_alive


def run_tags() -> dict[str, str]:
    """The tags naming this process as the run's coordinator."""
    return {RUN_HOST_TAG: socket.gethostname(), RUN_PID_TAG: str(os.getpid())}


def release_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark as failed the runs started on this host whose `kabar` process has ended, and free the
    pool slots they held; their run ids."""
    released = []
    running = dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
                            tags={RUN_HOST_TAG: socket.gethostname()})
    for run in instance.get_runs(filters=running):
        pid = int(run.tags.get(RUN_PID_TAG, "0"))
        if pid and not process_alive(pid):
            instance.report_run_failed(run, message=f"its process {pid} ended before the run finished")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            released.append(run.run_id)
    return released

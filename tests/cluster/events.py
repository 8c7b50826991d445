"""What the cluster tests read in the shared Dagster event log: which Celery worker took which step,
and whether the step has started (dagster-celery's worker reports "Executing steps … in celery
worker" with the worker's name, then Dagster records the step's start)."""
from __future__ import annotations

import time
from collections.abc import Callable

import dagster as dg


def wait_for(condition: Callable[[], object], what: str, seconds: float):
    """Poll ``condition`` until it returns something true, and return it; fail saying ``what`` did not happen."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.5)
    return found


def steps_taken_by(instance: dg.DagsterInstance, worker: str) -> list[str]:
    """The step keys the Celery worker named ``worker`` (``-n worker@host``) reported executing, in any run."""
    taken = []
    for run in instance.get_runs():
        for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            reported = record.dagster_event.event_specific_data.metadata.get("Celery worker")
            if reported is not None and str(reported.value).startswith(f"{worker}@"):
                taken.append(record.step_key)
    return taken


def running_steps(instance: dg.DagsterInstance) -> set[str]:
    """The steps whose start Dagster has recorded and no success or failure yet, in any run."""
    return _steps(instance, dg.DagsterEventType.STEP_START) - _steps(instance, dg.DagsterEventType.STEP_SUCCESS) \
        - _steps(instance, dg.DagsterEventType.STEP_FAILURE)


def _steps(instance: dg.DagsterInstance, kind: dg.DagsterEventType) -> set[str]:
    return {record.step_key for run in instance.get_runs() for record in instance.all_logs(run.run_id, of_type=kind)}

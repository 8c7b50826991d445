"""A step delivered again after its Celery worker died counts the deliveries in the run's event log
and gives up after MAX_WORKER_LOSSES; Dagster's own retries are not losses."""
from __future__ import annotations

import dagster as dg
import pytest
from dagster._core.events import EngineEventData

from orchestration.worker_losses import MAX_WORKER_LOSSES, give_up_after_lost_workers, worker_losses

STEP = "staged_chunks.stage_chunk[chunk_00000]"


def _delivered(instance: dg.DagsterInstance, run: dg.DagsterRun, times: int, step_key: str = STEP) -> None:
    """What dagster-celery's worker reports as it takes the step, ``times`` times."""
    for _ in range(times):
        instance.report_engine_event(f"Executing steps {step_key} in celery worker", run,
                                     EngineEventData({"step_keys": step_key, "Celery worker": "worker1@host"}),
                                     step_key=step_key)


@pytest.fixture
def run():
    with dg.instance_for_test() as instance:
        yield instance, instance.create_run_for_job(dg.GraphDefinition("empty").to_job())


def test_deliveries_beyond_the_attempts_are_lost_workers(run):
    instance, dagster_run = run
    assert worker_losses(instance, dagster_run.run_id, STEP, retry_number=0) == 0   # the local executors: none
    _delivered(instance, dagster_run, 1)
    _delivered(instance, dagster_run, 5, step_key="staged_chunks.stage_chunk[chunk_00001]")   # another step's
    instance.report_engine_event("another engine event", dagster_run, step_key=STEP)
    assert worker_losses(instance, dagster_run.run_id, STEP, retry_number=0) == 0
    _delivered(instance, dagster_run, 1)
    assert worker_losses(instance, dagster_run.run_id, STEP, retry_number=0) == 1
    assert worker_losses(instance, dagster_run.run_id, STEP, retry_number=1) == 0   # a retry: not a loss


def test_a_step_whose_workers_keep_dying_fails_without_retries_in_one_line():
    @dg.op(retry_policy=dg.RetryPolicy(max_retries=3))
    def doomed(context):
        step = context.get_step_execution_context().step.key
        _delivered(context.instance, context.run, MAX_WORKER_LOSSES + 2, step)   # the lost ones and this one
        give_up_after_lost_workers(context)

    @dg.op
    def survivor(context):
        _delivered(context.instance, context.run, MAX_WORKER_LOSSES + 1, context.get_step_execution_context().step.key)
        give_up_after_lost_workers(context)

    with dg.instance_for_test() as instance:
        result = dg.GraphDefinition("steps", node_defs=[doomed, survivor]).to_job().execute_in_process(
            instance=instance, raise_on_error=False)
    [failure] = result.get_step_failure_events()
    assert failure.step_key == "doomed" and result.output_for_node("survivor") is None
    assert failure.event_specific_data.error.message.splitlines()[0].endswith(
        f"doomed: its worker died {MAX_WORKER_LOSSES + 1} times running it (killed, out of memory, its host lost); "
        f"given up after {MAX_WORKER_LOSSES}")
    assert not [event for event in result.all_events if event.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]

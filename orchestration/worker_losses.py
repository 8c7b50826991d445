"""A bound on how often a step is delivered again after its Celery worker died.

The deployment acknowledges a step only once it has run (``deploy/celery``: late acknowledgement),
so the broker delivers the step of a worker that died to another worker, and keeps no count: a step
that kills every worker it reaches (the whole host out of memory, say) would go round for ever.
Every delivery is in the run's event log (dagster-celery's worker reports "Executing steps … in
celery worker" with its name), so a step counts its own deliveries and gives up, failing the run
with one line, after ``MAX_WORKER_LOSSES`` lost workers. Dagster's retries (``RetryPolicy``) are
deliveries too, and are not counted as losses.
"""
from __future__ import annotations

import dagster as dg

MAX_WORKER_LOSSES = 2
_WORKER = "Celery worker"   # the metadata dagster-celery's worker puts on its "Executing steps" event


def worker_losses(instance: dg.DagsterInstance, run_id: str, step_key: str, retry_number: int) -> int:
    """How many times attempt ``retry_number`` of the step was delivered to a worker that died."""
    deliveries = sum(1 for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT)
                     if record.step_key == step_key and _WORKER in record.dagster_event.event_specific_data.metadata)
    return max(0, deliveries - (retry_number + 1))


def give_up_after_lost_workers(context: dg.OpExecutionContext | dg.AssetExecutionContext) -> None:
    """Fail the step (no retry) when its workers have died more than ``MAX_WORKER_LOSSES`` times."""
    step_key = context.get_step_execution_context().step.key
    lost = worker_losses(context.instance, context.run.run_id, step_key, context.retry_number)
    if lost > MAX_WORKER_LOSSES:
        raise dg.Failure(f"{step_key}: its worker died {lost} times running it (killed, out of memory, its host "
                         f"lost); given up after {MAX_WORKER_LOSSES}", allow_retries=False)

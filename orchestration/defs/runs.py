"""The daemon's watch over runs started by `kabar` commands (``orchestration.dead_runs``): a run
whose process died is failed and its writer slot freed within a minute, without waiting for the
next command."""

import dagster as dg

from orchestration.dead_runs import release_dead_runs

DEAD_RUN_CHECK_SECONDS = 30


@dg.sensor(name="dead_runs_sensor", minimum_interval_seconds=DEAD_RUN_CHECK_SECONDS,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Fails the runs whose `kabar` process on this host has died, freeing the warehouse slot.")
def dead_runs_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    released = release_dead_runs(context.instance)
    for run_id in released:
        context.log.warning(f"run {run_id}: its `kabar` process is gone; marked failed, its slot freed")
    return dg.SkipReason(f"{len(released)} dead run(s) released" if released else "every run's process is alive")

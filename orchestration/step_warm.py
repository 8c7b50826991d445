"""Imported by the multiprocess executor's forkserver after the models (``executors.PRELOADED``): Kabar's
job built once, so each step process forked from it rebuilds its run's job in 0.01 s instead of 0.2 s
(the first build imports ``orchestration.definitions`` and fills Dagster's caches; 13 step processes
for 1,000 pages, issue 18). No file is touched: the configuration names a home that does not exist."""
from pathlib import Path

from orchestration.run import job_for
from pipeline.config import Config

_NOWHERE = Path("/nonexistent/kabar-step-warm-up")

job_for(Config(home=_NOWHERE, warehouse=_NOWHERE / "warehouse.duckdb").to_json(), "kabar_run_job")

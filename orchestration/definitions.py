"""The one root of Kabar's Dagster definitions (``dagster dev -m orchestration.definitions``).

``build_definitions(config)`` wires every asset, job, sensor and schedule to one resolved
``Config``; this module resolves it once from the environment for the UI and the daemon.
"""
from __future__ import annotations

import dagster as dg

from crawl.outlets import load_outlets
from orchestration.defs.backfill import staged_archives, warc_staged
from orchestration.defs.chunks import staged_chunks
from orchestration.defs.crawl import crawl_job, crawl_schedules, crawled_archives_sensor
from orchestration.defs.freshness import with_crawl_freshness
from orchestration.defs.ingest import inbox_sensor, raw_documents
from orchestration.defs.load import warehouse_tables
from orchestration.defs.runs import dead_runs_sensor
from orchestration.resources import KabarResource
from pipeline.config import Config, load_config

RUN_ASSETS = [raw_documents, staged_chunks, warehouse_tables]
ASSETS = [*RUN_ASSETS, warc_staged, staged_archives]

# Jobs take the definitions' executor: Dagster's default (in-process or multiprocess, chosen by each
# run's config, ``orchestration.executors``), or dagster-celery's when the deployment has Celery workers.
kabar_run_job = dg.define_asset_job(
    "kabar_run_job", selection=dg.AssetSelection.assets(*RUN_ASSETS),
    description="Ingest, process in chunks, validate and load one batch of documents.")
warc_partition_job = dg.define_asset_job(
    "warc_partition_job", selection=dg.AssetSelection.assets(warc_staged),
    description="Stage one WARC archive (a dynamic partition): a backfill runs many at once.")
backfill_job = dg.define_asset_job(
    "backfill_job", selection=dg.AssetSelection.assets(staged_archives, warehouse_tables),
    description="Stage registered WARC archives, one step each, then load them with everything staged.")
load_job = dg.define_asset_job(
    "load_job", selection=dg.AssetSelection.assets(warehouse_tables),
    description="Merge every staged unit (WARC partitions, runs that stopped before loading) into the warehouse.")


def build_definitions(config: Config) -> dg.Definitions:
    """Definitions wired to ``config``."""
    sources = load_outlets(config.sources) if config.sources else None
    return dg.Definitions(
        assets=with_crawl_freshness(ASSETS, sources),
        jobs=[kabar_run_job, backfill_job, warc_partition_job, load_job, crawl_job],
        schedules=crawl_schedules(sources),
        sensors=[inbox_sensor(config.inbox), crawled_archives_sensor(config.crawl_archive_dir), dead_runs_sensor],
        resources={
            "kabar": KabarResource.from_config(config),
            "io_manager": _io_manager(config),
        },
        executor=_executor(config),
    )


def _io_manager(config: Config) -> dg.ConfigurableIOManager:
    """Where steps hand each other their outputs: ``$KABAR_HOME/storage``, or a bucket
    (``KABAR_DAGSTER_IO``) when the steps run on several machines (the cluster extra installs dagster-aws)."""
    if not (config.dagster_io or "").startswith("s3://"):
        return dg.FilesystemIOManager(base_dir=config.dagster_io or str(config.storage_dir))
    from dagster_aws.s3 import S3PickleIOManager, S3Resource

    bucket, _, prefix = config.dagster_io.removeprefix("s3://").partition("/")
    return S3PickleIOManager(s3_resource=S3Resource(endpoint_url=config.s3_endpoint), s3_bucket=bucket,
                             s3_prefix=prefix.strip("/") or "dagster")


def _executor(config: Config) -> dg.ExecutorDefinition | None:
    """dagster-celery's executor when ``config`` names a Celery broker (the cluster extra installs
    it), else None: Dagster's default."""
    if not config.celery_broker:
        return None
    from dagster_celery import celery_executor

    return celery_executor


defs = build_definitions(load_config())

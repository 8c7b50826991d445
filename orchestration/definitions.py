"""The one root of Kabar's Dagster definitions (``dagster dev -m orchestration.definitions``)."""
from __future__ import annotations

import dagster as dg

from crawl.outlets import load_outlets
from orchestration.defs.backfill import warc_loaded, warc_staged
from orchestration.defs.crawl import crawl_job, crawl_schedules, crawled_archives_sensor
from orchestration.defs.enrich import found_entities, found_sources
from orchestration.defs.extract import extracted_articles
from orchestration.defs.ingest import inbox_sensor, raw_documents
from orchestration.defs.load import warehouse_tables
from orchestration.defs.quality import staged_tables
from orchestration.defs.syndication import article_clusters
from orchestration.resources import KabarResource
from orchestration.settings import load_settings

RUN_ASSETS = [raw_documents, extracted_articles, found_entities, found_sources, article_clusters, staged_tables,
              warehouse_tables]
BACKFILL_ASSETS = [warc_staged, warc_loaded]
ASSETS = RUN_ASSETS + BACKFILL_ASSETS

kabar_run_job = dg.define_asset_job(
    "kabar_run_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("backfill"),
    description="Ingest, extract, enrich, validate and load one batch of documents.",
    executor_def=dg.in_process_executor,
)
warc_partition_job = dg.define_asset_job(
    "warc_partition_job", selection=dg.AssetSelection.assets(warc_staged),
    description="Stage one WARC archive (a dynamic partition): a backfill runs many at once.",
    executor_def=dg.in_process_executor,
)
warc_load_job = dg.define_asset_job(
    "warc_load_job", selection=dg.AssetSelection.assets(warc_loaded),
    description="Merge every staged WARC partition into the warehouse: the single writer.",
    executor_def=dg.in_process_executor,
)


def build_definitions(kabar: KabarResource | None = None) -> dg.Definitions:
    """Definitions wired to ``kabar`` (default: the folders named by the environment)."""
    settings = load_settings()
    return dg.Definitions(
        assets=ASSETS,
        jobs=[kabar_run_job, warc_partition_job, warc_load_job, crawl_job],
        schedules=crawl_schedules(load_outlets(settings.sources) if settings.sources else None),
        sensors=[inbox_sensor, crawled_archives_sensor],
        resources={
            "kabar": kabar or KabarResource.from_environment(),
            "io_manager": dg.FilesystemIOManager(base_dir=str(settings.storage_dir)),
        },
    )


defs = build_definitions()

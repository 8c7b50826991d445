"""Crawl: every outlet of the sources file on its own schedule; what a crawl archives loads like any WARC."""
from pathlib import Path

import dagster as dg

from crawl.crawler import crawl_outlets
from crawl.outlets import SourcesFile, load_outlets
from orchestration.defs.ingest import new_files_run_request
from orchestration.resources import KabarResource


class CrawlConfig(dg.Config):
    """Which outlet of the sources file (``KABAR_SOURCES``) to crawl, by its key."""

    outlet: str


@dg.op(description="Read one outlet's feeds and sitemaps, fetch the new pages politely, and archive pages "
                   "and refusals as a WARC file under $KABAR_HOME/crawl/archives.")
def crawl_outlet(context: dg.OpExecutionContext, config: CrawlConfig, kabar: KabarResource) -> None:
    settings = kabar.config
    if settings.sources is None:
        raise dg.Failure("KABAR_SOURCES is not set: point it at a sources file (see sources.example.toml)")
    [report] = crawl_outlets(load_outlets(settings.sources), settings.crawl_archive_dir, settings.crawl_state,
                             only=[config.outlet])
    context.log.info(report.render())


@dg.job(description="Crawl one outlet; the crawled_archives_sensor loads what it archived.")
def crawl_job():
    crawl_outlet()


def crawl_schedules(sources: SourcesFile | None) -> list[dg.ScheduleDefinition]:
    """One schedule per outlet, on the outlet's cron (UTC); off until switched on in the UI."""
    if sources is None:
        return []
    return [dg.ScheduleDefinition(name=f"crawl_{outlet.key}", cron_schedule=outlet.schedule, job=crawl_job,
                                  execution_timezone="UTC", default_status=dg.DefaultScheduleStatus.STOPPED,
                                  run_config={"ops": {"crawl_outlet": {"config": {"outlet": outlet.key}}}},
                                  description=f"Crawl {outlet.name} ({outlet.homepage})")
            for outlet in sources.outlets]


def crawled_archives_sensor(archives: Path) -> dg.SensorDefinition:
    """Loads each WARC archive a crawl leaves in ``archives`` through a run like any other input."""

    @dg.sensor(name="crawled_archives_sensor", job_name="kabar_run_job", minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description="Loads each WARC archive a crawl leaves under $KABAR_HOME/crawl/archives.")
    def watch(context: dg.SensorEvaluationContext):
        return new_files_run_request(context, archives)

    return watch

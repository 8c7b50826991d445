"""Crawl wiring in the Dagster definitions: one schedule per outlet, crawled archives load by sensor."""
from __future__ import annotations

from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.defs.crawl import crawled_archives_sensor
from pipeline.config import load_config
from tests.warcs import sample_pages, write_archive

EXAMPLE = Path(__file__).resolve().parents[2] / "sources.example.toml"


def test_each_outlet_gets_a_schedule_on_its_cron(monkeypatch):
    monkeypatch.setenv("KABAR_SOURCES", str(EXAMPLE))
    schedules = {s.name: s for s in build_definitions(load_config()).schedules}
    assert sorted(schedules) == ["crawl_harbour_times", "crawl_kabar_nusa", "crawl_suara_pelita"]
    harbour = schedules["crawl_harbour_times"]
    assert harbour.cron_schedule == "5 */3 * * mon-fri" and harbour.execution_timezone == "UTC"
    assert harbour.job_name == "crawl_job" and harbour.default_status == dg.DefaultScheduleStatus.STOPPED


def test_no_sources_file_means_no_schedules(monkeypatch):
    monkeypatch.delenv("KABAR_SOURCES", raising=False)
    assert not list(build_definitions(load_config()).schedules)


def test_crawled_archives_sensor_loads_each_new_archive_once(kabar_home):
    archives = kabar_home / "crawl" / "archives"
    archives.mkdir(parents=True)
    (archives / ".kabar_nusa-20261125T120000Z-ab12.warc.gz.part").write_bytes(b"draft")   # never picked up
    first = write_archive(archives / "kabar_nusa-20261125T120000Z.warc.gz", sample_pages(2))
    sensor = crawled_archives_sensor(archives)
    with dg.instance_for_test() as instance:
        request = sensor(dg.build_sensor_context(instance=instance))
        assert request.run_config["ops"]["raw_documents"]["config"]["paths"] == [str(first)]
        cursor = dg.build_sensor_context(instance=instance)
        sensor(cursor)
        assert isinstance(sensor(dg.build_sensor_context(instance=instance, cursor=cursor.cursor)),
                          dg.SkipReason)

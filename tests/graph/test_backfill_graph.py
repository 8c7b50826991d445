"""WARC backfill through ``dagster.materialize()``: partitions stage without the warehouse; the one loader
of every run (``warehouse_tables``) merges them."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

import pipeline.archive as archive
from orchestration.defs.backfill import WARC_PARTITIONS, archive_unit, warc_staged
from orchestration.defs.load import warehouse_tables
from orchestration.resources import KabarResource
from pipeline.archive import open_registry
from pipeline.staging import open_staging
from tests.faults import shift_entity_offsets
from tests.warcs import sample_pages, write_archive
from warehouse.io import open_warehouse, table_counts


@pytest.fixture
def setup(tmp_path):
    home = tmp_path / "home"
    pages = sample_pages(6)
    archives = [write_archive(tmp_path / "a.warc.gz", pages[:3]), write_archive(tmp_path / "b.warc.gz", pages[3:])]
    kabar = KabarResource(home=str(home), warehouse_path=str(home / "warehouse.duckdb"))
    keys = open_registry(kabar.config).register(archives)
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(WARC_PARTITIONS.name, keys)
    return home, keys, instance, kabar


def materialize(asset, kabar, instance, key=None):
    return dg.materialize([asset], partition_key=key, resources={"kabar": kabar}, instance=instance,
                          raise_on_error=False)


def counts(home: Path) -> dict[str, int]:
    with open_warehouse(home / "warehouse.duckdb") as con:
        return table_counts(con)


def test_partitions_stage_to_parquet_and_one_load_merges_them(setup):
    home, keys, instance, kabar = setup
    for key in keys:
        assert materialize(warc_staged, kabar, instance, key).success
    assert not (home / "warehouse.duckdb").exists()   # staging never opens the warehouse
    staging = open_staging(kabar.config)
    assert [unit.name for unit in staging.complete_units()] == sorted(archive_unit(key) for key in keys)
    result = materialize(warehouse_tables, kabar, instance)
    assert result.success and all(e.passed for e in result.get_asset_check_evaluations())
    assert counts(home)["articles"] == 6 and counts(home)["documents"] == 6 and counts(home)["quotes"] > 0
    assert staging.complete_units() == []   # loaded partitions are cleared
    for key in keys:   # re-running a partition and the load adds nothing
        assert materialize(warc_staged, kabar, instance, key).success
    assert materialize(warehouse_tables, kabar, instance).success
    assert counts(home)["articles"] == 6 and counts(home)["documents"] == 6


def test_a_failed_archive_is_re_run_alone(setup, monkeypatch):
    home, keys, instance, kabar = setup
    real = archive.read_warc

    def broken(path, *args):
        if path.name == "b.warc.gz":
            raise OSError("disk went away")
        return real(path, *args)

    monkeypatch.setattr(archive, "read_warc", broken)
    assert materialize(warc_staged, kabar, instance, keys[0]).success
    assert not materialize(warc_staged, kabar, instance, keys[1]).success
    assert not (home / "staging" / archive_unit(keys[1])).exists()   # only a complete unit gets its name
    assert materialize(warehouse_tables, kabar, instance).success and counts(home)["articles"] == 3
    monkeypatch.setattr(archive, "read_warc", real)
    assert materialize(warc_staged, kabar, instance, keys[1]).success
    assert materialize(warehouse_tables, kabar, instance).success and counts(home)["articles"] == 6


def test_a_failing_child_row_holds_back_its_article_and_the_load_goes_on(setup, monkeypatch):
    home, keys, instance, kabar = setup
    shift_entity_offsets(monkeypatch, "start_offset", only_in="Köln")   # the German page's mentions
    assert materialize(warc_staged, kabar, instance, keys[0]).success
    assert materialize(warehouse_tables, kabar, instance).success
    with open_warehouse(home / "warehouse.duckdb") as con:
        held = con.execute("select count(*) from rejects where reason = 'entity_mentions.offsets_slice_surface'").fetchall()
    assert held == [(1,)] and counts(home)["articles"] == 2


def test_too_many_articles_held_back_block_the_load_and_set_the_staged_partition_aside(tmp_path, monkeypatch):
    home = tmp_path / "home"
    kabar = KabarResource(home=str(home), warehouse_path=str(home / "warehouse.duckdb"))
    keys = open_registry(kabar.config).register([write_archive(tmp_path / "c.warc.gz", sample_pages(12))])
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(WARC_PARTITIONS.name, keys)
    shift_entity_offsets(monkeypatch, "start_offset")
    assert materialize(warc_staged, kabar, instance, keys[0]).success
    result = materialize(warehouse_tables, kabar, instance)
    assert not result.success
    assert {e.check_name: e.passed for e in result.get_asset_check_evaluations()}["articles_suite"] is False
    assert counts(home)["documents"] == 0 and (home / "staging" / "blocked" / archive_unit(keys[0])).is_dir()
    assert materialize(warehouse_tables, kabar, instance).success   # a later load is not blocked by it

"""The small parts of the batch core: configuration, chunks, staged units, the load report."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.chunks import chunk_sizes, cut, unit_name
from pipeline.config import Config, ConfigError, load_config
from pipeline.ingest import DUPLICATE, MANIFEST_SCHEMA, NEW, SEEN, Notices
from pipeline.report import LoadReport
from pipeline.staging import UNIT, Staging, read_notices, read_table
from warehouse.storage import LocalFolder


def manifest(*rows: tuple[str, str, str | None]) -> pl.DataFrame:
    return pl.DataFrame([{"document_id": doc, "origin": doc, "status": status, "reject_reason": reason}
                         for doc, status, reason in rows], schema=MANIFEST_SCHEMA)


def test_config_is_resolved_from_the_environment_once_and_travels_as_json(tmp_path):
    config = load_config({"KABAR_HOME": str(tmp_path), "KABAR_INBOX": "inbox", "KABAR_BUSY_TIMEOUT": "5"})
    assert config.warehouse == tmp_path / "warehouse.duckdb" and config.inbox == Path("inbox").absolute()
    assert config.busy_timeout_seconds == 5 and config.default_inputs == [Path("inbox").absolute()]
    assert Config.from_json(config.to_json()) == config
    with pytest.raises(ConfigError, match="KABAR_MAX_QUARANTINED_SHARE must be a number between 0 and 1"):
        load_config({"KABAR_MAX_QUARANTINED_SHARE": "2"})


def test_archive_settings_come_from_the_environment_and_are_checked():
    config = load_config({"KABAR_MAX_ARCHIVE_BYTES": "1048576", "KABAR_CC_BASE_URL": "http://127.0.0.1:8000/cc/"})
    assert (config.max_archive_bytes, config.cc_base_url) == (1048576, "http://127.0.0.1:8000/cc/")
    assert load_config({}).cc_base_url == "https://data.commoncrawl.org/"
    assert (load_config({"KABAR_QUALITY_KEEP": "7"}).quality_keep, load_config({}).quality_keep) == (7, 100)
    for name, bad, said in [("KABAR_MAX_ARCHIVE_BYTES", "8GB", "a whole number of bytes"),
                            ("KABAR_QUALITY_KEEP", "0", "a whole number of runs above 0"),
                            ("KABAR_MAX_ARCHIVE_BYTES", "0", "a whole number of bytes"),
                            ("KABAR_CC_BASE_URL", "ftp://mirror/", "an http://, https:// or s3:// URL"),
                            ("KABAR_CC_BASE_URL", "s3://", "an http://, https:// or s3:// URL")]:
        with pytest.raises(ConfigError, match=f"^{name} must be {said}"):
            load_config({name: bad})


def test_chunks_hold_the_documents_to_extract_and_the_rest_rides_in_the_first():
    rows = manifest(("a", NEW, None), ("b", DUPLICATE, None), ("c", NEW, None), ("d", NEW, "too_large"),
                    ("e", SEEN, None), ("f", NEW, None))
    chunks = cut(rows, 4)
    assert [chunk["document_id"].to_list() for chunk in chunks] == [["b", "d", "e", "a"], ["c"], ["f"]]
    assert sum(chunk.height for chunk in chunks) == rows.height
    assert [chunk["document_id"].to_list() for chunk in cut(manifest(("b", SEEN, None)), 2)] == [["b"]]
    assert unit_name("run-1", 3) == "run-1-00003"


def test_the_last_chunks_shrink_so_workers_finish_together():
    assert chunk_sizes(2000, 200) == [200] * 7 + [150, 113, 85, 63, 50, 50, 50, 39]
    assert chunk_sizes(250, 200) == [63, 50, 50, 50, 37]
    assert chunk_sizes(3, 100) == [3] and chunk_sizes(0, 100) == [] and chunk_sizes(5, 1) == [1] * 5
    assert sum(chunk_sizes(12_345, 200)) == 12_345


def test_a_unit_is_visible_only_once_complete(tmp_path):
    staging = Staging(LocalFolder(tmp_path), tmp_path / "journals")
    with pytest.raises(RuntimeError), staging.unit("broken") as writer:
        writer.add({"documents": manifest(("a", NEW, None))})
        raise RuntimeError("the step died")
    assert staging.complete_units() == [] and list(tmp_path.iterdir()) == []
    with staging.unit("good") as writer:
        writer.add({"documents": manifest(("a", NEW, None))})
        writer.add({"documents": manifest(("b", NEW, None))})
        writer.notices = Notices([("x.html", "a named pipe")], {"request": 2})
    [unit] = staging.complete_units()
    table = read_table([unit], "documents", MANIFEST_SCHEMA)
    assert table["document_id"].to_list() == ["a", "b"] and set(table[UNIT]) == {"good"}
    assert read_notices([unit]) == Notices([("x.html", "a named pipe")], {"request": 2})


def test_the_load_report_accounts_for_every_document_and_round_trips():
    tables = {"articles": pl.DataFrame({"article_id": ["x"]}),
              "rejects": pl.DataFrame({"document_id": ["b", "b"], "reason": ["r1", "r2"]}),
              **{t: pl.DataFrame() for t in ("entities", "entity_mentions", "quotes", "sources", "article_sources")}}
    rows = manifest(("a", NEW, None), ("b", NEW, None), ("a", DUPLICATE, None), ("c", SEEN, None))
    report = LoadReport.of(["u"], rows, tables, Notices())
    assert (report.documents_in, report.distinct_documents, report.rejected_documents) == (4, 3, 1)
    assert report.accounted and report.rejects == {"r1": 1, "r2": 1}
    assert LoadReport.from_json(report.to_json()) == report

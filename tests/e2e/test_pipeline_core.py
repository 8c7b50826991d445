"""The batch core without Dagster: a folder through ``pipeline/`` alone, as a Python user calls it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.chunks import cut
from pipeline.config import Config
from pipeline.ingest import ingest
from pipeline.load import load_staged
from pipeline.process import process_chunk
from pipeline.staging import Staging
from tests.pages import english_page, indonesian_page, write_inputs
from tests.warcs import sample_pages, write_archive
from warehouse.io import open_warehouse, table_counts

ROOT = Path(__file__).resolve().parents[2]
CORE_RUN = """
import json, sys
from pathlib import Path
from pipeline.config import Config
from pipeline.run import run_batch
home = Path(sys.argv[1])
report = run_batch(Config(home=home, warehouse=home / "warehouse.duckdb", chunk_documents=2), [Path(sys.argv[2])])
print(json.dumps({"dagster_imported": "dagster" in sys.modules, "report": report.to_json()}))
"""


def config_at(home: Path, **options) -> Config:
    return Config(home=home, warehouse=home / "warehouse.duckdb", **options)


def test_a_folder_runs_through_the_core_without_importing_dagster(tmp_path):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page(), empty__html=b"",
                          copy__html=indonesian_page())
    process = subprocess.run([sys.executable, "-c", CORE_RUN, str(tmp_path / "home"), str(inputs)], cwd=ROOT,
                             capture_output=True, text=True, check=True)
    result = json.loads(process.stdout.strip().splitlines()[-1])
    assert result["dagster_imported"] is False
    report = result["report"]
    assert (report["documents_in"], report["articles"], report["duplicates"], report["rejects"]) == (4, 2, 1, {"empty": 1})
    assert len(report["units"]) == 2   # two documents to extract a chunk
    with open_warehouse(tmp_path / "home" / "warehouse.duckdb") as con:
        assert table_counts(con)["articles"] == 2 and table_counts(con)["quotes"] >= 3
    assert list((tmp_path / "home" / "staging").iterdir()) == []


def test_chunks_staged_apart_load_as_one_batch_and_a_document_staged_twice_loads_once(tmp_path):
    """Two runs' units of the same page (a run that crashed before loading, then its re-run) load once."""
    home = tmp_path / "home"
    config = config_at(home)
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    for unit in ("first", "second"):
        ingested = ingest(config, [inputs], now=_now())
        [chunk] = cut(ingested.manifest, 10)
        process_chunk(config, chunk, unit, _now())
    assert [unit.name for unit in Staging(config.staging_dir).complete_units()] == ["first", "second"]
    report = load_staged(config).report
    assert (report.documents_in, report.articles, report.duplicates, report.accounted) == (4, 2, 2, True)
    with open_warehouse(config.warehouse) as con:
        counts = table_counts(con)
    assert counts["documents"] == 2 and counts["articles"] == 2
    assert Staging(config.staging_dir).complete_units() == []


def test_a_run_and_an_archive_share_the_one_loader(tmp_path):
    from pipeline.archive import stage_archive

    config = config_at(tmp_path / "home", chunk_documents=2)
    stage_archive(config, write_archive(tmp_path / "a.warc.gz", sample_pages(3)), "warc-a")
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page())
    ingested = ingest(config, [inputs], now=_now())
    process_chunk(config, ingested.manifest, "run-1", _now())
    report = load_staged(config).report
    assert report.units == ["run-1", "warc-a"] and report.articles == 4 and report.accounted


def _now():
    from datetime import datetime, UTC

    return datetime.now(UTC)

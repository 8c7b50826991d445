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
from pipeline.staging import open_staging
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
    assert len(report["units"]) == 3   # three to extract, up to two a chunk, the last chunks shrinking to one
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
    assert [unit.name for unit in open_staging(config).complete_units()] == ["first", "second"]
    report = load_staged(config, run_id="load-1").report
    assert (report.documents_in, report.articles, report.duplicates, report.accounted) == (4, 2, 2, True)
    with open_warehouse(config.warehouse) as con:
        counts = table_counts(con)
    assert counts["documents"] == 2 and counts["articles"] == 2
    assert open_staging(config).complete_units() == []
    assert report.quality_page == str(home / "quality" / "runs" / "load-1.html")
    # a load with nothing staged writes no page and keeps the last one in the index
    assert load_staged(config, run_id="load-2").report.quality_page is None
    assert "load-1" in (home / "quality" / "index.html").read_text() and not (home / "quality" / "runs" / "load-2.html").exists()


def test_a_run_and_an_archive_share_the_one_loader(tmp_path):
    from pipeline.archive import Archive, stage_archive

    config = config_at(tmp_path / "home", chunk_documents=2)
    stage_archive(config, Archive(str(write_archive(tmp_path / "a.warc.gz", sample_pages(3)))), "warc-a")
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page())
    ingested = ingest(config, [inputs], now=_now())
    process_chunk(config, ingested.manifest, "run-1", _now())
    report = load_staged(config).report
    assert report.units == ["run-1", "warc-a"] and report.articles == 4 and report.accounted


def _now():
    from datetime import datetime, UTC

    return datetime.now(UTC)


# --- a process that dies on a document ------------------------------------------------------------

MARKER = "Tulisan ini mematikan proses"


def _crash_on_marker(stage: str) -> None:
    """In this (child) process, ``stage`` dies like a segfaulting parser on the page with ``MARKER``."""
    import os
    import signal

    import pipeline.process as process
    import transforms.batch as batch

    def dies_on(real):
        def wrapped(value, *args, **kwargs):
            if MARKER.encode() in value if isinstance(value, bytes) else MARKER in repr(value):
                os.kill(os.getpid(), signal.SIGSEGV)
            return real(value, *args, **kwargs)
        return wrapped

    if stage == "extract":
        process.process_document = dies_on(process.process_document)
    else:
        batch.enrich_articles = dies_on(batch.enrich_articles)


def _stage_and_die(stage: str, home: str, manifest: str, attempt: int) -> None:
    import polars as pl

    _crash_on_marker(stage)
    process_chunk(config_at(Path(home)), pl.read_parquet(manifest), "chunk", _now(), attempt=attempt)


def _attempt(stage: str, home: Path, manifest: Path, attempt: int) -> int:
    """Attempt ``attempt`` (Dagster's retry number) at the chunk in a process of its own (as Dagster's
    executor runs a step); its exit code."""
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(target=_stage_and_die,
                                                         args=(stage, str(home), str(manifest), attempt))
    child.start()
    child.join()
    return child.exitcode


def _crash_setup(tmp_path: Path) -> tuple[Config, Path]:
    config = config_at(tmp_path / "home")
    killer = indonesian_page(url="https://kabarnusa.co.id/k").replace("Senin.", f"Senin. {MARKER}.")
    inputs = write_inputs(tmp_path / "in", a__html=indonesian_page(url="https://kabarnusa.co.id/a"), k__html=killer,
                          b__html=english_page())
    manifest = tmp_path / "manifest.parquet"
    ingest(config, [inputs], now=_now()).manifest.write_parquet(manifest)
    return config, manifest


def test_the_retry_after_a_crash_rejects_the_document_that_killed_the_process(tmp_path):
    import polars as pl

    config, manifest = _crash_setup(tmp_path)
    assert _attempt("extract", config.home, manifest, 0) == -11   # the crash: nothing staged
    assert open_staging(config).complete_units() == []
    process_chunk(config, pl.read_parquet(manifest), "chunk", _now(), attempt=1)   # the retry goes on without it
    report = load_staged(config).report
    assert (report.articles, report.rejects, report.accounted) == (2, {"extraction_error": 1}, True)
    with open_warehouse(config.warehouse) as con:
        [(origin, detail)] = con.execute("select origin, detail from rejects").fetchall()
    assert origin.endswith("k.html") and detail.startswith("ProcessDied: its process died extracting it")
    assert not open_staging(config).journal_path("chunk").exists()


def test_a_step_delivered_again_after_its_worker_was_lost_tries_the_document_again(tmp_path):
    """The same attempt delivered again (a Celery worker killed mid-step): the document in flight is
    tried again, and blamed only when its process dies on it a second time."""
    import polars as pl

    config, manifest = _crash_setup(tmp_path)
    assert _attempt("extract", config.home, manifest, 0) == -11   # lost: not yet blamed
    assert _attempt("extract", config.home, manifest, 0) == -11   # lost again on the same document
    process_chunk(config, pl.read_parquet(manifest), "chunk", _now(), attempt=0)
    assert load_staged(config).report.rejects == {"extraction_error": 1}
    config, manifest = _crash_setup(tmp_path / "innocent")
    assert _attempt("extract", config.home, manifest, 0) == -11
    process_chunk(config, pl.read_parquet(manifest), "chunk", _now(), attempt=0)   # delivered again, healthy
    report = load_staged(config).report
    assert (report.articles, report.rejects, report.accounted) == (3, {}, True)


def test_a_batch_the_model_crashed_on_is_split_until_the_culprit_alone_fails(tmp_path):
    import polars as pl

    config, manifest = _crash_setup(tmp_path)
    assert _attempt("enrich", config.home, manifest, 0) == -11   # the NER batch of all three
    assert _attempt("enrich", config.home, manifest, 1) == -11   # the culprit alone
    process_chunk(config, pl.read_parquet(manifest), "chunk", _now(), attempt=2)
    report = load_staged(config).report
    assert (report.articles, report.rejects, report.accounted) == (2, {"entities_error": 1}, True)
    assert report.staged["entities"] > 0

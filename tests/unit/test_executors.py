"""Where a run's steps execute: chosen by run configuration, and by how many documents are new."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg

from orchestration import executors
from orchestration.executors import PRELOADED, execution_config, new_documents, step_preload, workers_for
from tests.holders import ROOT
from pipeline.config import Config
from pipeline.run import run_batch
from tests.pages import english_page, indonesian_page, write_inputs
from transforms.documents import find_inputs


def test_one_worker_runs_in_process_and_more_on_the_multiprocess_executor_with_the_models_preloaded():
    assert execution_config(1) == {"config": {"in_process": {}}}
    multiprocess = execution_config(2)["config"]["multiprocess"]
    assert multiprocess["max_concurrent"] == 2
    assert multiprocess["start_method"]["forkserver"]["preload_modules"] == ["pipeline.warm", "orchestration.step_warm"]


def test_step_processes_fork_with_the_instance_storage_modules_imported(tmp_path):
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        preload = step_preload(instance.get_ref())
    assert preload[:2] == PRELOADED and "dagster._core.storage.runs" in preload
    assert all(importlib.util.find_spec(module) for module in preload)


def test_the_executor_forks_steps_from_the_server_started_before_the_run(tmp_path):
    """The warm-up overlaps the run's set-up only if Dagster's executor reuses the forkserver
    ``start_step_server`` started (multiprocessing keeps one per process) instead of starting its own."""
    script = textwrap.dedent("""
        import multiprocessing, sys
        import dagster as dg
        from orchestration.executors import execution_config, start_step_server
        from tests.step_server_job import forked_from_job, send_parent

        start_step_server(["tests.step_server_job"])
        context = multiprocessing.get_context("forkserver")
        receive, send = context.Pipe(duplex=False)
        probe = context.Process(target=send_parent, args=(send,))
        probe.start()
        server = receive.recv()
        probe.join()
        job = dg.reconstructable(forked_from_job)
        with dg.instance_for_test(temp_dir=sys.argv[1]) as instance, dg.execute_job(
                job, instance=instance, run_config={"execution": execution_config(2, ["tests.step_server_job"])}) as result:
            print(server, result.output_for_node("forked_from"))
    """)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    server, step_parent = done.stdout.split()
    assert step_parent == server


def test_only_documents_the_warehouse_lacks_count_towards_workers(tmp_path, monkeypatch):
    config = Config(home=tmp_path / "home", warehouse=tmp_path / "home" / "warehouse.duckdb")
    loaded = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    files = find_inputs([loaded]).files
    assert new_documents(files, config) == 2   # no warehouse yet
    run_batch(config, [loaded])
    fresh = write_inputs(tmp_path / "more", other__html=english_page(url="https://harbourtimes.com.au/other"))
    assert new_documents(files + find_inputs([fresh]).files, config) == 1
    monkeypatch.setattr(executors, "PARALLEL_FROM_DOCUMENTS", 1)
    assert workers_for(files, config) == 1 and workers_for(find_inputs([fresh]).files, config) == executors.default_workers()
    assert workers_for(files, config, reprocess=True) == executors.default_workers()


def test_an_archive_counts_by_its_size(tmp_path):
    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"\0" * 100_000)
    config = Config(home=tmp_path / "home", warehouse=tmp_path / "home" / "warehouse.duckdb")
    assert new_documents([Path(archive)], config) == 3


def test_a_large_folder_is_estimated_from_a_sample_of_its_pages(tmp_path, monkeypatch):
    """Only ``PAGE_SAMPLE`` pages are hashed (the ingest step hashes every page anyway), spread over the
    folder, so new pages added at its end still count."""
    from transforms.documents import document_id

    folder = write_inputs(tmp_path / "in", **{f"p{i:03d}__html": f"<p>page {i}</p>" for i in range(300)})
    files = find_inputs([folder]).files
    loaded = {document_id(path.read_bytes()) for path in files[:200]}
    hashed = []
    monkeypatch.setattr(executors, "_loaded", lambda ids, config: (hashed.extend(ids), set(ids) & loaded)[1])
    config = Config(home=tmp_path / "home", warehouse=tmp_path / "home" / "warehouse.duckdb")
    assert new_documents(files, config) == 98   # 21 of 64 sampled pages are new: 100 of 300 in truth
    assert len(hashed) == executors.PAGE_SAMPLE
    assert new_documents(files[:40], config) == 0 and new_documents(files[250:], config) == 50   # small: exact

"""What a `kabar run` leaves in the Dagster instance for the UI: run tags naming what it processed and
loaded, and each check (every suite's, the outlet health) evaluated once, against the materialisation
of the same run."""
from __future__ import annotations

import dagster as dg

import pipeline.load
from orchestration.cli import main
from orchestration.defs.load import core_key, suite_check_name
from orchestration.defs.outlet_health import CHECK_NAME as OUTLET_HEALTH_CHECK
from tests.pages import english_page, indonesian_page, write_inputs
from transforms.schemas import VALIDATED_TABLES


def check_evaluations(instance: dg.DagsterInstance, run_id: str) -> list:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    return [record.event_log_entry.dagster_event.asset_check_evaluation_data for record in records]


def test_runs_carry_what_they_loaded_and_their_checks_judge_their_own_tables(kabar_home, tmp_path, capsys):
    first = write_inputs(tmp_path / "first", id__html=indonesian_page(), empty__html=b"")
    second = write_inputs(tmp_path / "second", en__html=english_page())
    assert main(["run", str(first)]) == 0 and main(["run", str(second / "en.html")]) == 0
    capsys.readouterr()
    with dg.DagsterInstance.get() as instance:
        later, earlier = instance.get_runs(filters=dg.RunsFilter(job_name="kabar_run_job"))
        assert {name: earlier.tags[name] for name in earlier.tags if name.startswith("kabar/") and name not in (
            "kabar/host", "kabar/pid")} == {"kabar/inputs": str(first), "kabar/input_count": "1",
                                            "kabar/documents_in": "2", "kabar/articles": "1", "kabar/rejects": "1",
                                            "kabar/duplicates": "0", "kabar/already_loaded": "0"}
        assert later.tags["kabar/inputs"] == str(second / "en.html") and later.tags["kabar/articles"] == "1"
        evaluations = check_evaluations(instance, later.run_id)
        assert sorted(e.asset_check_key.name for e in evaluations) == sorted(
            [*map(suite_check_name, VALIDATED_TABLES), OUTLET_HEALTH_CHECK])
        articles = instance.get_latest_materialization_event(core_key("articles"))
        assert articles.run_id == later.run_id
        [articles_check] = [e for e in evaluations if e.asset_check_key.name == suite_check_name("articles")]
        assert articles_check.target_materialization_data.run_id == later.run_id
        # The check links to its table's section of the quality page named after the run.
        page = articles_check.metadata["quality_page"].value
        assert page.endswith(f"/quality/runs/{later.run_id}.html#articles") and page.startswith("file://")
        assert (kabar_home / "quality" / "runs" / f"{later.run_id}.html").is_file()


def test_a_rerun_of_loaded_input_is_in_the_run_history_with_what_it_skipped(kabar_home, tmp_path, capsys,
                                                                            monkeypatch):
    """A second run over the same folder loads nothing (no write transaction), and says so where a user
    looks: its run's tags (every document already loaded), its materialisations, and the six suites
    evaluated on 0 rows (no staged row: judged without GX) and passed; nothing is logged to the run after
    it ended."""
    folder = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    assert main(["run", str(folder)]) == 0
    monkeypatch.setattr(pipeline.load, "load_batch", _no_write)
    assert main(["run", str(folder)]) == 0
    assert "already loaded          2" in capsys.readouterr().out
    with dg.DagsterInstance.get() as instance:
        rerun, _ = instance.get_runs(filters=dg.RunsFilter(job_name="kabar_run_job"))
        assert rerun.status == dg.DagsterRunStatus.SUCCESS
        assert {name: rerun.tags[name] for name in ("kabar/documents_in", "kabar/already_loaded", "kabar/articles")} == {
            "kabar/documents_in": "2", "kabar/already_loaded": "2", "kabar/articles": "0"}
        assert instance.get_latest_materialization_event(core_key("articles")).run_id == rerun.run_id
        suites = [e for e in check_evaluations(instance, rerun.run_id) if e.asset_check_key.name != OUTLET_HEALTH_CHECK]
        assert sorted(e.asset_check_key.name for e in suites) == sorted(map(suite_check_name, VALIDATED_TABLES))
        assert all(e.passed and e.metadata["rows_checked"].value == 0 for e in suites)
        last = instance.get_records_for_run(rerun.run_id, ascending=False, limit=1).records[0]
        assert last.event_log_entry.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS


def _no_write(con, frames):
    raise AssertionError(f"a batch of {sum(frame.height for frame in frames.values())} rows opened a write transaction")

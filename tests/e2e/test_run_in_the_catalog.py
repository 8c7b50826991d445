"""What a `kabar run` leaves in the Dagster instance for the UI: each suite's check evaluated once,
against the materialisation of the same run."""
from __future__ import annotations

import dagster as dg

from orchestration.cli import main
from orchestration.defs.load import core_key, suite_check_name
from tests.pages import english_page, indonesian_page, write_inputs
from transforms.schemas import VALIDATED_TABLES


def check_evaluations(instance: dg.DagsterInstance, run_id: str) -> list:
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    return [record.event_log_entry.dagster_event.asset_check_evaluation_data for record in records]


def test_checks_judge_their_own_runs_tables(kabar_home, tmp_path, capsys):
    first = write_inputs(tmp_path / "first", id__html=indonesian_page(), empty__html=b"")
    second = write_inputs(tmp_path / "second", en__html=english_page())
    assert main(["run", str(first)]) == 0 and main(["run", str(second / "en.html")]) == 0
    capsys.readouterr()
    with dg.DagsterInstance.get() as instance:
        later, _ = instance.get_runs(filters=dg.RunsFilter(job_name="kabar_run_job"))
        evaluations = check_evaluations(instance, later.run_id)
        assert sorted(e.asset_check_key.name for e in evaluations) == sorted(map(suite_check_name, VALIDATED_TABLES))
        assert instance.get_latest_materialization_event(core_key("articles")).run_id == later.run_id
        [articles_check] = [e for e in evaluations if e.asset_check_key.asset_key == core_key("articles")]
        assert articles_check.target_materialization_data.run_id == later.run_id

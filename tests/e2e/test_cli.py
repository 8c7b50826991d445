"""End to end through the `kabar` command."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.faults import shift_entity_offsets
from tests.pages import english_page, indonesian_page, write_inputs

KABAR = Path(sys.executable).parent / "kabar"


def test_missing_path_is_a_one_line_error_with_exit_code_2(kabar_home, capsys):
    assert main(["run", "/no/such/folder"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "kabar: no such file or folder: /no/such/folder"


def test_folder_without_html_is_a_clear_error(kabar_home, tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("hello")
    assert main(["run", str(tmp_path / "notes")]) == 1
    assert "no input files" in capsys.readouterr().err


def test_a_deployment_instance_file_that_cannot_be_read_is_a_one_line_error(kabar_home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KABAR_DAGSTER_YAML", str(tmp_path / "deploy" / "dagster.yaml"))
    pages = write_inputs(tmp_path / "in", en__html=english_page())
    assert main(["run", str(pages)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"kabar: KABAR_DAGSTER_YAML: cannot read {tmp_path / 'deploy' / 'dagster.yaml'} (No such file or directory)"


def test_only_broken_inputs_exit_non_zero_and_are_rejected(kabar_home, tmp_path, capsys):
    inputs = write_inputs(tmp_path / "in", empty__html=b"", binary__html=bytes(range(256)) * 4)
    assert main(["run", str(inputs)]) == 1
    out, err = capsys.readouterr()
    assert "no document could be processed" in err
    assert "empty" in out and "not_html" in out
    assert main(["sql", "select reason from rejects order by reason", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["reason", "empty", "not_html"]


def test_a_run_tells_its_progress_in_lines_off_a_terminal_and_nothing_with_quiet(kabar_home, tmp_path, capsys):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    assert main(["run", str(inputs)]) == 0
    out, err = capsys.readouterr()
    assert "progress:" not in out and "Kabar run" in out
    assert [line for line in err.splitlines() if not line.startswith("progress: ")] == []
    assert {"progress: reading 2 documents", "progress: processing 2/2 documents", "progress: loading 3/3 steps"} <= {
        re.sub(r" \(.*/s\)$", "", line) for line in err.splitlines()}
    assert main(["run", "--quiet", "--reprocess"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "Kabar run" in out


def test_run_twice_then_query_and_export(kabar_home, tmp_path):
    """The installed console script, as a user runs it: a second run adds no rows."""
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page(), empty__html=b"")
    env = {**os.environ, "KABAR_HOME": str(kabar_home)}
    first = subprocess.run([str(KABAR), "run", str(inputs)], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert re.search(r"articles +2\n", first.stdout) and "every one accounted for" in first.stdout
    for name in ("articles_suite", "quotes_suite", "entity_mentions_suite"):
        assert f"{name}" in first.stdout
    counts = lambda: json.loads(subprocess.run(  # noqa: E731
        [str(KABAR), "sql", "select (select count(*) from articles) a, (select count(*) from quotes) q, "
         "(select count(*) from rejects) r, (select count(*) from entities) e", "--json"],
        env=env, capture_output=True, text=True, check=True).stdout)
    before = counts()
    second = subprocess.run([str(KABAR), "run", str(inputs)], env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert re.search(r"already loaded +3\n", second.stdout) and "every one accounted for" in second.stdout
    assert counts() == before and before[0]["a"] == 2 and before[0]["r"] == 1
    export = subprocess.run([str(KABAR), "export", "--parquet", str(tmp_path / "out")], env=env, capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "out" / "articles" / "published_date=2025-01-12").is_dir()


def test_sql_errors_are_one_line(kabar_home, tmp_path, capsys):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page())
    assert main(["run", str(inputs)]) == 0
    capsys.readouterr()
    assert main(["sql", "select nope from articles"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kabar: query failed:") and "Traceback" not in err


def test_sql_writes_list_columns_as_csv_and_json(kabar_home, tmp_path, capsys):
    """The README's own example: quotes_per_speaker has a list of outlets."""
    assert main(["run", str(write_inputs(tmp_path / "in", id__html=indonesian_page()))]) == 0
    capsys.readouterr()
    assert main(["sql", "select speaker, outlets from quotes_per_speaker order by speaker", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "speaker,outlets" and '"[""KabarNusa""]"' in lines[1]
    assert main(["sql", "select speaker, outlets, {'n': 1} as s from quotes_per_speaker limit 1", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["outlets"] == ["KabarNusa"] and row["s"] == {"n": 1}


def test_sql_before_any_run_says_what_to_do(kabar_home, capsys):
    assert main(["sql", "select 1"]) == 1
    assert "run `kabar run` first" in capsys.readouterr().err


def test_an_article_held_back_by_a_check_is_a_reject_naming_the_check(kabar_home, tmp_path, monkeypatch, capsys):
    shift_entity_offsets(monkeypatch, "end_offset", only_in="Surabaya")
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    assert main(["run", str(inputs)]) == 0
    out, _ = capsys.readouterr()
    assert re.search(r"entity_mentions\.offsets_slice_surface +1\n", out) and re.search(r"articles +1\n", out)
    assert re.search(r"entity_mentions_suite +passed +articles held back: offsets_slice_surface", out)


def test_a_batch_mostly_held_back_exits_non_zero_and_loads_nothing(kabar_home, tmp_path, monkeypatch, capsys):
    shift_entity_offsets(monkeypatch, "end_offset")
    pages = {f"p{i}__html": indonesian_page(url=f"https://kabarnusa.co.id/surabaya/banjir-{i}") for i in range(10)}
    assert main(["run", "--quiet", str(write_inputs(tmp_path / "in", **pages))]) == 1
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("kabar: load blocked, nothing loaded: articles_suite: 10 of 10 articles")
    assert re.search(r"articles_suite +FAILED +10 of 10 articles held back", out)
    assert main(["sql", "select count(*) as n from documents", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "0"]


USER_ERRORS = {
    "bad SQL": ["sql", "selec x"],
    "missing table": ["sql", "select * from nope"],
    "missing column": ["sql", "select nope from articles"],
    "a query that writes": ["sql", "delete from articles"],
    "export into a file": ["export", "--parquet", "{tmp}/a-file"],
    "report into a file": ["report", "--out", "{tmp}/a-file"],
    "report under a file": ["report", "--out", "{tmp}/a-file/report"],
    "run a missing path": ["run", "/no/such/folder"],
    "run a binary file": ["run", "--quiet", "{tmp}/binary.html"],
    "bad --workers": ["run", "--workers", "many"],
    "backfill a bad month": ["backfill", "--month", "2024-13", "{tmp}/warc.paths.gz"],
    "eval a missing file": ["eval", "ner", "--conll", "{tmp}/missing.conll"],
    "eval a file that is not text": ["eval", "ner", "--conll", "{tmp}/binary.html"],
    "eval a missing folder": ["eval", "quotes", "--pfsa", "{tmp}/missing"],
    "train on a missing folder": ["train", "ner", "--shared", "{tmp}/missing"],
    "an unknown command": ["frobnicate"],
}


@pytest.mark.parametrize("argv", USER_ERRORS.values(), ids=USER_ERRORS.keys())
def test_every_user_error_is_one_line_and_a_non_zero_exit(kabar_home, tmp_path, capsys, argv):
    from warehouse.io import open_warehouse

    kabar_home.mkdir()
    with open_warehouse(kabar_home / "warehouse.duckdb"):
        pass
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 4)
    assert main([arg.format(tmp=tmp_path) for arg in argv]) != 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("kabar: ") and "Traceback" not in err, err
    assert not list(kabar_home.glob("logs/crash-*"))   # the user's error, not Kabar's: no crash log


CRASHING_RUN = """
import os, signal, sys
from warehouse import io
real_sql = io.sql
def killing_sql(name):
    if name == "load/insert_children":  # inside the load transaction: articles written, children not yet
        os.kill(os.getpid(), signal.SIGKILL)
    return real_sql(name)
io.sql = killing_sql
from orchestration.cli import main
sys.exit(main(["run", sys.argv[1]]))
"""


def test_a_run_killed_mid_load_leaves_nothing_and_the_next_run_completes(kabar_home, tmp_path):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    env = {**os.environ, "KABAR_HOME": str(kabar_home)}
    crashed = subprocess.run([sys.executable, "-c", CRASHING_RUN, str(inputs)], env=env, capture_output=True, text=True)
    assert crashed.returncode == -9
    counts = [str(KABAR), "sql", "select (select count(*) from articles) + (select count(*) from documents) "
              "+ (select count(*) from entities) as n", "--csv"]
    assert subprocess.run(counts, env=env, capture_output=True, text=True).stdout.splitlines() == ["n", "0"]
    again = subprocess.run([str(KABAR), "run", str(inputs)], env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert re.search(r"articles +2\n", again.stdout)
    assert "its process died before it finished" in again.stdout


def test_eval_ner_prints_scores_for_a_conll_file(capsys):
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "ner" / "gold.conll"
    assert main(["eval", "ner", "--conll", str(fixture), "--lang", "id"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^overall +\d\.\d{3} +\d\.\d{3} +\d\.\d{3}", out, re.M) and "docs/s" in out
    assert main(["eval", "ner", "--conll", str(fixture.parent / "missing.conll")]) == 2


def test_an_article_held_back_by_two_checks_is_one_document_in_the_accounting(kabar_home, tmp_path, monkeypatch,
                                                                               capsys):
    import transforms.batch

    shift_entity_offsets(monkeypatch, "end_offset", only_in="Surabaya")
    real = transforms.batch.find_agency_citations

    def fragile(text, captions):
        if "Surabaya" in text:
            raise ValueError("Invalid IPv6 URL")
        return real(text, captions)

    monkeypatch.setattr(transforms.batch, "find_agency_citations", fragile)
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    assert main(["run", str(inputs)]) == 0
    out = capsys.readouterr().out
    assert "every one accounted for" in out and re.search(r"rejects +1  \(documents; ", out)
    assert re.search(r"entity_mentions\.offsets_slice_surface +1\n", out) and re.search(r"sources_error +1\n", out)


def test_an_unexpected_error_is_one_line_with_its_traceback_in_a_crash_log(kabar_home, tmp_path, monkeypatch, capsys):
    import orchestration.run

    def broken(*args, **kwargs):
        try:
            {}["settings"]
        except KeyError:
            raise RuntimeError("the real problem") from OSError("the cause it came from")

    monkeypatch.setattr(orchestration.run, "run_pipeline", broken)
    assert main(["run", str(write_inputs(tmp_path / "in", id__html=indonesian_page()))]) == 1
    err = capsys.readouterr().err
    [log] = (kabar_home / "logs").glob("crash-*.log")
    assert err == f"kabar: unexpected OSError: the cause it came from (traceback in {log})\n"
    assert "RuntimeError: the real problem" in log.read_text()

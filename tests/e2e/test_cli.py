"""End to end through the `kabar` command."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path


from orchestration.cli import main
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
    assert "no HTML files" in capsys.readouterr().err


def test_only_broken_inputs_exit_non_zero_and_are_rejected(kabar_home, tmp_path, capsys):
    inputs = write_inputs(tmp_path / "in", empty__html=b"", binary__html=bytes(range(256)) * 4)
    assert main(["run", str(inputs)]) == 1
    out, err = capsys.readouterr()
    assert "no document could be processed" in err
    assert "empty" in out and "not_html" in out
    assert main(["sql", "select reason from rejects order by reason", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["reason", "empty", "not_html"]


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


def test_sql_before_any_run_says_what_to_do(kabar_home, capsys):
    assert main(["sql", "select 1"]) == 1
    assert "run `kabar run` first" in capsys.readouterr().err

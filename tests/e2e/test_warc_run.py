"""`kabar run` over WARC archives: records become articles with their URL and fetch time."""
from __future__ import annotations

import json
import re

import dagster as dg
import pytest

from orchestration.cli import main
from tests.warcs import sample_pages, write_archive

pytestmark = pytest.mark.e2e


def sql(capsys, query: str) -> list[dict]:
    capsys.readouterr()
    assert main(["sql", query, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_archive_folder_with_a_damaged_archive(kabar_home, tmp_path, capsys):
    pages = sample_pages(4)
    folder = tmp_path / "warcs"
    folder.mkdir()
    write_archive(folder / "one.warc.gz", pages[:2])
    damaged = write_archive(tmp_path / "two.warc.gz", pages[2:], extras=False).read_bytes()
    (folder / "two.warc.gz").write_bytes(damaged[:int(len(damaged) * 0.7)])
    assert main(["run", str(folder)]) == 0
    articles = sql(capsys, "select url, fetched_at, origin from articles order by url")
    kept = {row["url"] for row in articles}
    assert {url for url, _ in pages[:3]} <= kept and pages[3][0] not in kept
    assert all(row["fetched_at"].startswith("2026-03-01") and "#" in row["origin"] for row in articles)
    rejects = sql(capsys, "select reason from rejects")
    assert [row["reason"] for row in rejects] == ["warc_damaged"]
    assert main(["run", str(folder)]) == 0   # idempotent: nothing new, nothing twice
    assert sql(capsys, "select count(*) as n from articles")[0]["n"] == len(articles)
    assert sql(capsys, "select count(*) as n from rejects")[0]["n"] == 1


def test_backfill_stages_archives_in_two_workers_and_loads_once(kabar_home, tmp_path, capsys):
    pages = sample_pages(6)
    folder = tmp_path / "warcs"
    folder.mkdir()
    for index in range(3):
        write_archive(folder / f"part-{index}.warc.gz", pages[index * 2:index * 2 + 2])
    assert main(["backfill", str(folder), "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"staged units +3\n", out) and "every one accounted for" in out   # one unit per archive
    assert sql(capsys, "select count(*) as n from articles")[0]["n"] == 6
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs(filters=dg.RunsFilter(job_name="backfill_job"))
    assert run.tags["kabar/input_count"] == "3" and run.tags["kabar/articles"] == "6"   # the Runs page's columns
    assert main(["backfill", str(folder), "--workers", "2"]) == 0   # a second backfill loads nothing new
    assert "already loaded          6" in capsys.readouterr().out
    assert sql(capsys, "select count(*) as n from articles")[0]["n"] == 6


def test_backfill_without_archives_is_a_clear_error(kabar_home, tmp_path, capsys):
    (tmp_path / "page.html").write_text("<html></html>")
    assert main(["backfill", str(tmp_path)]) == 1
    assert "no WARC archives" in capsys.readouterr().err

"""One folder of hostile inputs beside good pages, through `kabar run`: accounted for input by input.

The inputs come from the seeded generator in ``tests/hostile.py`` (several variants of every class
that once stopped a run or lost input); each must end as what it says — an article with the column
values it names, a reject with its reason, or a notice that it is not a file — and the good pages
must load beside them.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import Expect, Hostile, good_page_names, hostile_inputs, write_folder
from tests.slow_pages import write_slow_folder
from transforms.documents import display_path
from warehouse.io import connect

KABAR = Path(sys.executable).parent / "kabar"
SEEDS = (11, 2026)

OUTCOMES = """
select d.origin, r.reasons, a.article_id is not null as is_article, a.language, a.published_at, a.is_truncated, a.url
from documents as d
left join articles as a using (document_id)
left join (select document_id, list(reason order by reason) as reasons from rejects group by 1) as r using (document_id)
"""


def _origin_order(origin: str) -> tuple[int, ...]:
    """Records of one archive in their order: ``#<offset>`` or ``#<member offset>+<index>``."""
    return tuple(int(part) for part in re.split(r"[#+]", origin)[1:] if part.isdigit())


def _documents_of(path: Path, rows: dict[str, dict]) -> list[dict]:
    name = display_path(path)
    found = [origin for origin in rows if origin == name or origin.startswith(name + "#")]
    return [rows[origin] for origin in sorted(found, key=_origin_order)]


def _check(item: Hostile, path: Path, rows: dict[str, dict], summary: str) -> list[str]:
    """What is wrong with what became of ``item`` (empty when all is as it must be)."""
    problems = []
    documents = _documents_of(path, rows)
    if item.not_read:
        if f"{display_path(path)}: {item.not_read}" not in summary:
            problems.append(f"no notice '{item.not_read}' in the summary")
        if item.special != "folder" and documents:
            problems.append(f"not a file, yet {len(documents)} documents")
    elif len(documents) != len(item.documents):
        problems.append(f"{len(documents)} documents, expected {len(item.documents)}: {documents}")
    for expect, document in zip(item.documents, documents):
        problems += _mismatch(expect, document)
    for inside in item.inside:
        problems += _check(inside, path / inside.name, rows, summary)
    return problems


def _mismatch(expect: Expect, document: dict) -> list[str]:
    if expect.reject is not None:
        reasons = document["reasons"] or []
        return [] if reasons == [expect.reject] and not document["is_article"] else [
            f"expected the reject {expect.reject}, got {reasons or 'an article'}"]
    if not document["is_article"] or document["reasons"]:
        return [f"expected an article, got the rejects {document['reasons']}"]
    return [f"{column} is {document[column]!r}, expected {value!r}"
            for column, value in expect.columns if document[column] != value]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_hostile_input_is_accounted_for_and_the_good_pages_load(tmp_path, seed):
    inputs = hostile_inputs(seed)
    folder = write_folder(tmp_path / "in", inputs, seed=seed)
    home = tmp_path / "home"
    run = subprocess.run([str(KABAR), "run", "--quiet", str(folder)], capture_output=True, text=True, timeout=900,
                         env={**os.environ, "KABAR_HOME": str(home)})
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "every one accounted for" in run.stdout
    con = connect(home / "warehouse.duckdb", read_only=True)
    cursor = con.execute(OUTCOMES)
    columns = [column[0] for column in cursor.description]
    rows = {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}
    con.close()

    problems = {f"{item.kind}: {display_path(item.name)}": found for item in inputs
                if (found := _check(item, Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(item.name)))),
                                    rows, run.stdout))}
    assert problems == {}
    for name in good_page_names():
        [document] = _documents_of(folder / name, rows)
        assert document["is_article"] and not document["reasons"], name
    expected = len(good_page_names()) + sum(len(item.documents) + sum(len(i.documents) for i in item.inside)
                                            for item in inputs)
    assert len(rows) == expected   # no document that no input explains, none missing: vanished = 0
    skipped = sum(item.skipped_records for item in inputs)
    assert re.search(rf"WARC records not pages +{skipped} ", run.stdout)
    assert re.search(rf"not read +{sum(1 for item in inputs if item.not_read)} ", run.stdout)


def test_the_five_page_slow_folder_loads_with_its_bounds_fired(tmp_path):
    """The pages that once took 30 minutes: each bound fires and the ordinary pages load beside them (the
    time and memory this takes are measured by `make bench`, not asserted here)."""
    folder = write_slow_folder(tmp_path / "slow")
    home = tmp_path / "home"
    run = subprocess.run([str(KABAR), "run", "--quiet", str(folder)], capture_output=True, text=True, timeout=900,
                         env={**os.environ, "KABAR_HOME": str(home)})
    assert run.returncode == 0 and run.stderr == "", run.stderr
    con = connect(home / "warehouse.duckdb", read_only=True)
    outcomes = dict(con.execute("select regexp_extract(d.origin, '[^/]+$'), coalesce(r.reason, "
                                "case when a.is_truncated then 'article, truncated' else 'article' end) "
                                "from documents d left join articles a using (document_id) "
                                "left join rejects r using (document_id)").fetchall())
    con.close()
    assert outcomes == {"english.html": "article", "indonesian.html": "article",
                        "long-text.html": "article, truncated", "many-attributes.html": "article, truncated",
                        "many-links.html": "too_many_links"}

"""Kabar's quality pages: a page per load from its kept record, an index of every kept load, the history
pruned to ``keep``, empty batches leaving it alone, and nothing fetched from outside the folder."""
from __future__ import annotations

import json
from html.parser import HTMLParser

from expectations.validate import validate_batch
from pipeline.quality_pages import history, publish
from pipeline.quality_pages.record import RunRecord
from tests.quality_runs import FIRST, SHORT_URL, article_id, publish_two_runs


class _Refs(HTMLParser):
    """Every URL a page refers to (href, src) and whether it has a script."""

    def __init__(self):
        super().__init__()
        self.urls, self.scripts = [], 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.urls += [value for name, value in attrs if name in ("href", "src")]


def refs(path):
    parser = _Refs()
    parser.feed(path.read_text())
    return parser


def test_pages_for_two_runs(tmp_path):
    first, second = publish_two_runs(tmp_path)
    assert (first, second) == (tmp_path / "runs" / "run-clean.html", tmp_path / "runs" / "run-warned.html")
    index = (tmp_path / "index.html").read_text()
    assert index.index("run-warned") < index.index("run-clean")   # newest first
    assert '<td class="warned">1</td>' in index and '<td class="failed">' not in index
    page = second.read_text()
    assert '<tr class="warned"><td class="name"><code>word_count_at_least_50</code>' in page
    assert article_id(2) in page and "1 of 2" in page
    assert "example.id/berita/2?a=1&amp;b=&lt;2&gt;" in page and SHORT_URL not in page   # escaped
    assert '<section id="entities">' in page and "0 rows checked" in page


def test_pages_refer_to_nothing_outside_the_folder(tmp_path):
    publish_two_runs(tmp_path)
    pages = [tmp_path / "index.html", *sorted((tmp_path / "runs").glob("*.html"))]
    for page in pages:
        found = refs(page)
        assert found.scripts == 0, page
        for url in found.urls:
            assert "://" not in url and not url.startswith("//"), (page, url)
            assert (page.parent / url).resolve().is_file(), (page, url)
    assert "url(" not in (tmp_path / "quality.css").read_text()   # no font or image fetched either


def test_the_index_is_rebuilt_from_the_records_alone(tmp_path):
    publish_two_runs(tmp_path)
    record = RunRecord.from_json(json.loads((tmp_path / "runs" / "run-warned.json").read_text()))
    warned = next(e for t in record.tables for e in t.expectations if e.name == "word_count_at_least_50")
    assert warned.examples == ((article_id(2), SHORT_URL),) and record.run_time.tzinfo is not None
    assert len((tmp_path / "runs" / "run-warned.json").read_bytes()) < 20_000


def test_an_empty_batch_keeps_the_last_warning(tmp_path):
    _, warned = publish_two_runs(tmp_path)
    before = {path.name: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    empty = validate_batch({}, now=FIRST)   # no staged row in any table
    assert publish(tmp_path, empty, run_id="run-empty", run_time=FIRST, keep=100) is None
    assert {path.name: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before
    assert "word_count_at_least_50" in warned.read_text()


def test_only_the_newest_runs_are_kept(tmp_path):
    publish_two_runs(tmp_path, keep=1)
    assert sorted(path.name for path in (tmp_path / "runs").iterdir()) == ["run-warned.html", "run-warned.json"]
    assert "run-clean" not in (tmp_path / "index.html").read_text()


def test_a_run_id_must_be_a_file_name(tmp_path):
    for bad in ("../x", "a/b", "", ".hidden"):
        try:
            history.page_path(tmp_path, bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")

"""``kabar report``: on a warehouse whose counts are known (tests/report_warehouse.py), every chart's
numbers in the page's embedded JSON equal those counts and independent SQL on the base tables; the page
has an SVG per chart, escapes names, says when there is nothing yet, and a second report replaces the first."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pytest

from orchestration.cli import main
from pipeline.warehouse_report import data as report_data
from pipeline.warehouse_report import read_report, write_report
from tests import report_warehouse as known
from tests.holders import hold_warehouse
from warehouse.io import connect, migrate, open_warehouse

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
CHARTS = 10   # articles per day, languages, entities, speakers, agency citations, 4 health maps, rejects
_DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


class _Tags(HTMLParser):
    """The page's tags by name, and every URL it refers to."""

    def __init__(self):
        super().__init__()
        self.tags, self.urls = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [value for name, value in attrs if name in ("href", "src")]


def tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def embedded(html: str) -> dict:
    return json.loads(_DATA.search(html).group(1))


def report(warehouse: Path, folder: Path) -> str:
    return write_report(read_report(warehouse), folder).read_text(encoding="utf-8")


def independent(warehouse: Path, query: str) -> list[tuple]:
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


@pytest.fixture
def warehouse(kabar_home) -> Path:
    return known.build(kabar_home / "warehouse.duckdb")


@pytest.fixture
def page(warehouse, tmp_path) -> str:
    return report(warehouse, tmp_path / "report")


def test_the_headline_numbers_are_the_warehouse_counts(page, warehouse):
    headline = embedded(page)["headline"]
    assert headline == known.HEADLINE
    [row] = independent(warehouse, "select (select count(*) from articles), (select count(distinct source_id) from "
                                   "articles), (select count(*) from quotes), (select count(*) from rejects)")
    assert row == (headline["articles"], headline["outlets"], headline["quotes"], headline["rejects"])


def test_articles_per_day_count_utc_publication_days_per_outlet(page, warehouse):
    rows = embedded(page)["charts"]["articles_per_day"]
    found = {(r["day"], r["outlet"]): r["articles"] for r in rows}
    assert found == known.ARTICLES_PER_DAY
    by_sql = independent(warehouse, "select strftime(a.published_at at time zone 'UTC', '%Y-%m-%d'), s.name, count(*) "
                                    "from articles a join sources s on s.source_id = a.source_id "
                                    "where a.published_at is not null group by 1, 2")
    assert found == {(day, outlet): n for day, outlet, n in by_sql}
    assert sum(found.values()) == known.HEADLINE["articles"] - known.HEADLINE["undated_articles"]


def test_outlets_past_the_top_are_summed_as_other_outlets(warehouse, monkeypatch):
    monkeypatch.setitem(report_data.QUERIES["articles_per_day"], "top", 1)
    rows = read_report(warehouse).charts["articles_per_day"]
    assert {(r["day"], r["outlet"]): r["articles"] for r in rows} == {
        ("2025-01-01", known.ALPHA): 2, ("2025-01-01", "other outlets"): 1,
        ("2025-01-02", known.ALPHA): 1, ("2025-01-02", "other outlets"): 1}


def test_languages_count_articles_with_unknown_for_none(page, warehouse):
    found = {r["language"]: r["articles"] for r in embedded(page)["charts"]["languages"]}
    assert found == known.LANGUAGES
    by_sql = independent(warehouse, "select ifnull(language, 'unknown'), count(article_id) from articles group by 1")
    assert found == dict(by_sql)


def test_top_entities_count_articles_mentioning_them(page, warehouse):
    rows = embedded(page)["charts"]["top_entities"]
    assert [(r["name"], r["type"], r["articles"]) for r in rows] == known.TOP_ENTITIES
    by_sql = independent(warehouse, "select name, type, count(*) from (select distinct article_id, name, type "
                                    "from entities) group by all order by 3 desc")
    assert [(r["name"], r["type"], r["articles"]) for r in rows] == by_sql


def test_top_speakers_count_their_quotes(page, warehouse):
    rows = embedded(page)["charts"]["top_speakers"]
    assert [(r["speaker"], r["quotes"]) for r in rows] == known.TOP_SPEAKERS
    by_sql = independent(warehouse, "select speaker, count(*) from quotes where speaker is not null group by 1 order by 2 desc")
    assert [(r["speaker"], r["quotes"]) for r in rows] == by_sql


def test_agency_citations_are_summed_over_days_per_outlet_and_agency(page, warehouse):
    found = {(r["outlet"], r["agency"]): r["citations"] for r in embedded(page)["charts"]["agency_citations"]}
    assert found == known.AGENCY_CITATIONS
    by_sql = independent(warehouse, "select o.name, g.name, count(*) from article_sources c "
                                    "join sources g on g.source_id = c.source_id and g.kind = 'agency' "
                                    "join articles a on a.article_id = c.article_id "
                                    "join sources o on o.source_id = a.source_id group by 1, 2")
    assert found == {(outlet, agency): n for outlet, agency, n in by_sql}


def test_outlet_health_has_each_outlets_daily_shares_and_median_words(page, warehouse):
    rows = embedded(page)["charts"]["outlet_health"]
    found = {(r["outlet"], r["day"]): (r["articles"], r["title_share"], r["author_share"], r["published_at_share"],
                                       r["median_word_count"]) for r in rows}
    assert found == known.OUTLET_HEALTH
    by_sql = independent(warehouse, "select s.name, strftime(coalesce(a.fetched_at, a.published_at) at time zone 'UTC', "
                                    "'%Y-%m-%d'), count(*), avg(if(len(a.authors) > 0, 1, 0)) from articles a "
                                    "join sources s on s.source_id = a.source_id group by 1, 2")
    assert {key: (value[0], value[2]) for key, value in found.items()} == {
        (outlet, day): (n, share) for outlet, day, n, share in by_sql}


def test_rejects_are_counted_per_outlet_and_reason(page, warehouse):
    found = {(r["outlet"], r["reason"]): r["rejects"] for r in embedded(page)["charts"]["outlet_rejects"]}
    assert found == known.OUTLET_REJECTS
    assert sum(found.values()) == independent(warehouse, "select count(*) from rejects")[0][0]


def test_every_chart_is_an_svg_with_a_title_and_a_description(page):
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == page.count('<figure class="chart">') == CHARTS
    for chart in charts:
        root = ElementTree.fromstring(chart)   # well-formed: every name escaped
        assert root.get("viewBox") and root.get("role") == "img"
        assert root.find(f"{SVG_NAMESPACE}title").text and root.find(f"{SVG_NAMESPACE}desc").text
        assert root.findall(f".//{SVG_NAMESPACE}rect")


def test_names_are_escaped_and_the_page_refers_only_to_its_stylesheet(page):
    assert "<script>alert" not in page and "<b>Widodo" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Times" in page and "Alpha &amp; Co" in page
    parsed = tags(page)
    assert parsed.tags.count("script") == 1   # the JSON data, which is not executed
    assert parsed.urls == ["report.css"]
    assert known.BETA in {row["outlet"] for row in embedded(page)["charts"]["outlet_rejects"]}   # the name as it is


def test_an_empty_warehouse_gives_a_page_that_says_so(kabar_home, tmp_path):
    with open_warehouse(kabar_home / "warehouse.duckdb"):
        pass
    page = report(kabar_home / "warehouse.duckdb", tmp_path / "report")
    assert "Nothing in the warehouse yet" in page and "<svg" not in page
    found = embedded(page)
    assert found["headline"]["articles"] == 0 and found["headline"]["first_day"] is None
    assert all(rows == [] for rows in found["charts"].values())


def test_a_second_report_replaces_the_first(warehouse, tmp_path):
    folder = tmp_path / "report"
    report(warehouse, folder)
    with open_warehouse(warehouse) as con:
        con.execute("delete from quotes")
    page = report(warehouse, folder)
    assert embedded(page)["headline"]["quotes"] == 0 and embedded(page)["charts"]["top_speakers"] == []
    assert sorted(path.name for path in folder.iterdir()) == ["report.css", "report.html"]


def test_kabar_report_prints_the_page_and_its_url(warehouse, kabar_home, capsys):
    assert main(["report"]) == 0
    page = kabar_home / "report" / "report.html"
    assert capsys.readouterr().out.splitlines() == [str(page), page.as_uri()]
    assert embedded(page.read_text(encoding="utf-8"))["headline"] == known.HEADLINE


def test_kabar_report_without_a_warehouse_is_one_line(kabar_home, capsys):
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kabar: no warehouse at ") and err.count("\n") == 1
    assert not (kabar_home / "report").exists()


def test_kabar_report_on_a_held_warehouse_names_the_holder_in_one_line(warehouse, monkeypatch, capsys):
    monkeypatch.setenv("KABAR_BUSY_TIMEOUT", "0")
    holder = hold_warehouse(warehouse, 30)
    try:
        assert main(["report"]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert err.startswith(f"kabar: the warehouse {warehouse} is busy: held by PID {holder.pid}") and err.count("\n") == 1


def test_kabar_report_on_a_warehouse_of_an_older_schema_says_to_run_first(kabar_home, capsys):
    with closing(connect(kabar_home / "warehouse.duckdb")) as con:
        migrate(con, up_to=10)   # before outlet_daily_health
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kabar: the warehouse ") and "a `kabar run` brings it up to date" in err and err.count("\n") == 1
    assert not list(kabar_home.glob("logs/crash-*"))

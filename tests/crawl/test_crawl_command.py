"""`kabar crawl` end to end against the local site: feeds and sitemaps → WARC → warehouse, once."""
from __future__ import annotations

import json
import re

import pytest

from orchestration.cli import main
from tests.crawl.test_crawler import write_sources

pytestmark = pytest.mark.e2e


def sql(capsys, query: str) -> list[dict]:
    capsys.readouterr()
    assert main(["sql", query, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_crawl_loads_new_articles_once_and_records_refusals(kabar_home, tmp_path, http_server, capsys):
    sources = tmp_path / "sources.toml"
    write_sources(sources, http_server.base_url, [{"feeds": ["/feed.rss", "/feed-more.rss"],
                                                  "sitemaps": ["/sitemap_index.xml"]}], crawler="delay_seconds = 0")
    assert main(["crawl", "--sources", str(sources)]) == 0
    out, err = capsys.readouterr()
    assert "every one accounted for" in out
    assert re.search(r"^progress: fetching \S+ (\d+)/\1 pages", err, re.MULTILINE)   # then the run's progress
    assert "progress: processing" in err
    articles = sql(capsys, "select url, fetched_at from articles")
    assert articles and all(row["url"].startswith(http_server.base_url + "/news/") and row["fetched_at"]
                            for row in articles)
    assert not any("utm_" in row["url"] or "#" in row["url"] for row in articles)
    reasons = {row["reason"] for row in sql(capsys, "select reason from rejects")}
    assert {"unsupported_scheme", "robots_disallowed"} <= reasons
    assert http_server.hits_for("/private/secret.html") == 0   # robots.txt is obeyed before any request

    http_server.reset()
    assert main(["crawl", "--sources", str(sources)]) == 0
    assert "nothing new to load" in capsys.readouterr().out
    assert not [path for path in http_server.paths() if path.startswith("/news/")]   # no page fetched twice
    assert sql(capsys, "select count(*) as n from articles")[0]["n"] == len(articles)


def test_crawl_without_a_sources_file_is_a_clear_error(kabar_home, capsys, monkeypatch):
    monkeypatch.delenv("KABAR_SOURCES", raising=False)
    assert main(["crawl"]) == 1
    assert "no sources file" in capsys.readouterr().err


def test_crawl_names_a_broken_sources_file(kabar_home, tmp_path, capsys):
    broken = tmp_path / "sources.toml"
    broken.write_text("[[outlets]]\nname = 'X'\nfeeds = ['ftp://x.example/feed']\n")
    assert main(["crawl", "--sources", str(broken)]) == 1
    assert str(broken) in capsys.readouterr().err


def test_the_scheduled_crawl_job_archives_one_outlet(kabar_home, tmp_path, http_server, monkeypatch):
    from orchestration.definitions import build_definitions
    from pipeline.config import load_config

    sources = tmp_path / "sources.toml"
    write_sources(sources, http_server.base_url, [{"feeds": ["/feed.rss"]}], crawler="delay_seconds = 0")
    monkeypatch.setenv("KABAR_SOURCES", str(sources))
    job = build_definitions(load_config()).resolve_job_def("crawl_job")
    result = job.execute_in_process(run_config={"ops": {"crawl_outlet": {"config": {"outlet": "local_news"}}}})
    assert result.success
    [archive] = load_config().crawl_archive_dir.glob("local_news-*.warc.gz")
    assert archive.stat().st_size > 0


def test_crawl_a_url_list_once(kabar_home, tmp_path, http_server, capsys):
    sources = tmp_path / "sources.toml"   # for the [crawler] table: the local site must be allow-listed
    write_sources(sources, http_server.base_url, [{"feeds": ["/feed.rss"]}], crawler="delay_seconds = 0")
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# pages to load\n{http_server.article_url(0)}\n{http_server.article_url(1)}?utm_source=x\n"
                      f"{http_server.article_url(0)}\nfile:///etc/passwd\n{http_server.base_url}/private/secret.html\n")
    assert main(["crawl", "--sources", str(sources), "--urls", str(listed)]) == 0
    assert sql(capsys, "select count(*) as n from articles")[0]["n"] == 2
    assert {row["reason"] for row in sql(capsys, "select reason from rejects")} == {"unsupported_scheme",
                                                                                     "robots_disallowed"}
    assert http_server.hits_for("/feed.rss") == 0   # only the list was crawled
    http_server.reset()
    assert main(["crawl", "--sources", str(sources), "--urls", str(listed)]) == 0
    assert "0 pages fetched, 2 already fetched" in capsys.readouterr().out
    assert not [path for path in http_server.paths() if path.startswith("/news/")]
    assert sql(capsys, "select count(*) as n from articles")[0]["n"] == 2   # refusals met again load as seen
    assert sql(capsys, "select count(*) as n from rejects")[0]["n"] == 2


def test_an_empty_url_list_is_a_clear_error(kabar_home, tmp_path, capsys):
    (tmp_path / "urls.txt").write_text("# nothing yet\n")
    assert main(["crawl", "--urls", str(tmp_path / "urls.txt")]) == 1
    assert "no URLs" in capsys.readouterr().err

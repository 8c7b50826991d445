"""The crawler against the local test site: one archive per crawl with each new page once and every
refusal, nothing fetched twice, conditional feeds, ``max_articles``, bad feeds and atomic archives.

Only 127.0.0.1 is allow-listed and every wait goes to a fake clock; archives are read back with
``transforms.warc.read_warc``, as ``kabar run`` reads them.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from crawl.crawler import MAX_SITEMAP_CHILDREN, CrawlReport, crawl_outlet, crawl_outlets
from crawl.fetcher import Fetcher, FetchPolicy
from crawl.outlets import Outlet, SourcesFile, load_outlets
from crawl.state import FetchState, Validators
from tests.http_server import ARTICLES, SAMPLES
from tests.crawl.fakes import ALLOW_LOCAL, FakeClock
from transforms.documents import Rejection, is_input_path
from transforms.urls import canonical_url
from transforms.warc import WarcCounts, read_warc

POLICY = FetchPolicy(delay_seconds=1.0, timeout_seconds=2.0, allowed_networks=ALLOW_LOCAL)
START = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
EVERY_SOURCE = {"feeds": ["/feed.rss", "/feed.atom", "/feed-more.rss"], "sitemaps": ["/sitemap_index.xml"]}


def write_sources(path: Path, base_url: str, outlets: list[dict], crawler: str = "") -> SourcesFile:
    """A sources file for outlets on the local site (paths become its URLs), loaded as the CLI would."""
    tables = []
    for number, fields in enumerate(outlets):
        fields = {"name": f"Local News {number}" if number else "Local News", "homepage": f"{base_url}/",
                  "language": "en", "country": "AU", **fields}
        for key in ("feeds", "sitemaps"):
            fields[key] = [f"{base_url}{path}" for path in fields.get(key, [])]
        tables.append("[[outlets]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in fields.items()))
    path.write_text(f"[crawler]\nallowed_networks = {json.dumps(list(ALLOW_LOCAL))}\ntimeout_seconds = 2\n"
                    f"{crawler}\n" + "\n".join(tables))
    return load_outlets(path)


class Crawls:
    """Crawls of outlets on the local site, each with a new fetcher (as separate runs are), sharing one
    fetch state and an archive folder; each crawl happens an hour after the previous one."""

    def __init__(self, tmp_path: Path, server):
        self.tmp_path, self.server = tmp_path, server
        self.archive_dir = tmp_path / "archives"
        self.state = FetchState(tmp_path / "state.sqlite")
        self.moment = START

    def outlet(self, **fields) -> Outlet:
        return write_sources(self.tmp_path / "sources.toml", self.server.base_url, [fields]).outlets[0]

    def __call__(self, outlet: Outlet, fetcher_class: type[Fetcher] = Fetcher) -> CrawlReport:
        moment = self.moment
        self.moment += timedelta(hours=1)
        with fetcher_class(POLICY, state=self.state, clock=FakeClock(), wall_clock=lambda: moment) as fetcher:
            return crawl_outlet(outlet, fetcher, self.archive_dir, now=lambda: moment)


@pytest.fixture
def crawls(tmp_path, http_server):
    made = Crawls(tmp_path, http_server)
    yield made
    made.state.close()


def contents(archive: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """The page URLs (in archive order, repeats kept) and the (URL, reason) refusals in ``archive``."""
    pages, refusals = [], set()
    for document in read_warc(archive):
        if isinstance(document.data, Rejection):
            refusals.add((document.url, document.data.reason))
        else:
            pages.append(document.url)
    return pages, refusals


def article_path(index: int) -> str:
    return f"/news/{ARTICLES[index]}.html"


def page_hits(server) -> list[str]:
    return [path for path in server.paths() if path.startswith(("/news/", "/private/"))]


def conditional(server, path: str) -> bool:
    """Whether every request for ``path`` carried a validator (so an unchanged one is answered 304)."""
    hits = [hit for hit in server.hits if hit.path == path]
    return bool(hits) and all("if-none-match" in {name.lower() for name in hit.headers} for hit in hits)


# The first crawl


def test_first_crawl_archives_each_page_once_and_every_refusal(crawls, http_server):
    report = crawls(crawls.outlet(**EVERY_SOURCE))

    assert report.archive == crawls.archive_dir / "local_news-20261125T120000Z.warc.gz"
    assert sorted(path.name for path in crawls.archive_dir.iterdir()) == [report.archive.name]
    pages, refusals = contents(report.archive)
    assert sorted(pages) == sorted(http_server.article_url(index) for index in range(4))  # no utm_, no #comments
    assert refusals == {("file:///etc/passwd", "unsupported_scheme"),
                        (f"ftp://127.0.0.1:{http_server.port}/news/x.html", "unsupported_scheme"),
                        (http_server.url("/private/secret.html"), "robots_disallowed")}
    counts = WarcCounts()
    documents = {document.url: document for document in read_warc(report.archive, counts)}
    assert counts.skipped == {"request": 4}
    for index, name in enumerate(ARTICLES):
        document = documents[http_server.article_url(index)]
        assert document.data == (SAMPLES / f"{name}.html").read_bytes() and document.fetched_at == START
    assert (report.feeds_fetched, report.feeds_not_modified, report.urls_found) == (5, 0, 5)
    assert (report.pages_fetched, report.already_fetched) == (4, 0)
    assert report.refused == {"robots_disallowed": 1, "unsupported_scheme": 2}


def test_pages_are_fetched_once_newest_first(crawls, http_server):
    crawls(crawls.outlet(**EVERY_SOURCE))
    assert page_hits(http_server) == [article_path(index) for index in (3, 2, 1, 0)]  # the private page: no GET
    assert http_server.hits_for("/sitemap-news.xml") == 1


def test_report_renders_as_one_line(crawls):
    line = crawls(crawls.outlet(**EVERY_SOURCE)).render()
    assert "\n" not in line and line.startswith("local_news: 4 pages fetched, 0 already fetched, 5 URLs found")
    assert "refused: robots_disallowed 1, unsupported_scheme 2" in line and line.endswith(".warc.gz")


# Later crawls


def test_second_crawl_gets_304s_and_writes_nothing(crawls, http_server):
    outlet = crawls.outlet(**EVERY_SOURCE)
    crawls(outlet)
    http_server.reset()

    report = crawls(outlet)

    assert report.archive is None and sorted(crawls.archive_dir.iterdir()) == [
        crawls.archive_dir / "local_news-20261125T120000Z.warc.gz"]
    assert page_hits(http_server) == []
    for path in ("/feed.rss", "/feed.atom", "/feed-more.rss", "/sitemap-news.xml"):
        assert conditional(http_server, path), path
    assert http_server.hits_for("/sitemap_index.xml") == 1 and not conditional(http_server, "/sitemap_index.xml")
    assert (report.feeds_fetched, report.feeds_not_modified) == (1, 4)  # the index is read in full: see crawl.crawler
    assert (report.urls_found, report.pages_fetched, report.refused) == (0, 0, {})
    assert "archive: none" in report.render()


def test_a_feed_read_again_in_full_counts_its_pages_as_already_fetched(crawls, http_server):
    outlet = crawls.outlet(feeds=["/feed.atom"])
    crawls(outlet)
    crawls.state.remember_validators(http_server.url("/feed.atom"), Validators(None, None))  # as if it sent none
    http_server.reset()

    report = crawls(outlet)

    assert (report.feeds_fetched, report.urls_found, report.already_fetched, report.pages_fetched) == (1, 4, 4, 0)
    assert report.archive is None and page_hits(http_server) == []


def test_a_page_that_appears_later_is_fetched_later(crawls, http_server):
    first = crawls(crawls.outlet(feeds=["/feed.rss"]))
    assert first.pages_fetched == 3
    http_server.reset()

    report = crawls(crawls.outlet(feeds=["/feed.rss", "/feed.atom"]))  # the Atom feed lists a fourth article

    assert (report.feeds_not_modified, report.feeds_fetched) == (1, 1)
    assert (report.pages_fetched, report.already_fetched) == (1, 3)
    assert page_hits(http_server) == [article_path(3)]
    assert contents(report.archive) == ([http_server.article_url(3)], set())
    assert report.archive.name == "local_news-20261125T130000Z.warc.gz"


# One page, however a link writes it


def test_links_to_one_page_are_fetched_once_and_known_by_its_identity(crawls, http_server):
    """Links differing by tracking parameters, a fragment, the host's case or trailing dot, a default port
    or a trailing slash are one page to the crawler, as they are to the warehouse: fetched once, over the
    scheme of the first link, archived under its fetchable form and remembered under the identity form
    its article id is hashed from."""
    page, port = http_server.article_url(0), http_server.port
    identity = f"https://127.0.0.1:{port}/news/{ARTICLES[0]}.html"
    assert canonical_url(page) == identity
    spellings = [f"{page}?utm_source=rss&fbclid=1", f"HTTP://127.0.0.1.:{port}/news/{ARTICLES[0]}.html/#top",
                 f"https://127.0.0.1:{port}/news/{ARTICLES[0]}.html?UTM_Medium=x",
                 f"//127.0.0.1:{port}/news/{ARTICLES[0]}.html"]
    # The sources file refuses two spellings of one page: links in feeds are not so tidy.
    outlet = replace(crawls.outlet(urls=[page]), urls=tuple(spellings))

    first = crawls(outlet)

    assert (first.urls_found, first.pages_fetched, first.already_fetched) == (1, 1, 0)
    assert page_hits(http_server) == [article_path(0)]
    assert contents(first.archive) == ([page], set())
    assert crawls.state.was_fetched(identity)
    http_server.reset()

    # The local site speaks no TLS: an https link is known as fetched without a request.
    second = crawls(replace(outlet, urls=(f"https://127.0.0.1:{port}/news/{ARTICLES[0]}.html/?xtor=RSS-1",)))
    assert (second.urls_found, second.pages_fetched, second.already_fetched, second.archive) == (1, 0, 1, None)
    assert http_server.hits == []


def test_a_page_reached_by_a_redirect_is_known_by_both_identities(crawls, http_server):
    crawls(crawls.outlet(urls=[http_server.url("/to-news")]))
    http_server.reset()

    report = crawls(crawls.outlet(urls=[http_server.url("/to-news/?utm_source=x").replace("http://", "https://"),
                                        http_server.article_url(0).replace("http://", "https://") + "/"]))

    assert (report.urls_found, report.already_fetched, report.pages_fetched) == (2, 2, 0)
    assert http_server.hits == []


# max_articles


def test_max_articles_caps_the_new_pages_and_the_rest_come_next_time(crawls, http_server):
    outlet = crawls.outlet(feeds=["/feed.atom"], max_articles=2)

    first = crawls(outlet)
    assert (first.urls_found, first.pages_fetched) == (4, 2)
    assert page_hits(http_server) == [article_path(3), article_path(2)]
    http_server.reset()

    second = crawls(outlet)  # the feed is read in full again although unchanged: two links were left over
    assert (second.feeds_fetched, second.pages_fetched, second.already_fetched) == (1, 2, 2)
    assert page_hits(http_server) == [article_path(1), article_path(0)]
    http_server.reset()

    third = crawls(outlet)
    assert (third.feeds_not_modified, third.pages_fetched, third.archive) == (1, 0, None)
    assert conditional(http_server, "/feed.atom")


# Bad feeds and sitemaps


def test_bad_feeds_and_sitemaps_are_refused_and_the_crawl_goes_on(crawls, http_server):
    report = crawls(crawls.outlet(feeds=["/not-a-feed.rss", "/text", "/feed.atom"], sitemaps=["/down"]))

    pages, refusals = contents(report.archive)
    assert sorted(pages) == sorted(http_server.article_url(index) for index in range(4))
    assert refusals == {(http_server.url("/not-a-feed.rss"), "bad_feed"),
                        (http_server.url("/text"), "wrong_content_type"),
                        (http_server.url("/down"), "http_error")}
    assert report.refused == {"bad_feed": 1, "http_error": 1, "wrong_content_type": 1}


def hostile_site(base: str) -> httpx.MockTransport:
    """What the test site does not serve: links forging WARC headers, nested and looping sitemap indexes,
    and XML that is not a sitemap."""
    def index(*children: str) -> bytes:
        return ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children) + "</sitemapindex>").encode()

    links = ["file:///etc/\nWARC-Type: response", "javascript:alert(1)", "data:text/html," + "x" * 10_000,
             "http://bad host.example/a", f"{base}/news/a.html"]
    feed = ("<rss><channel>" + "".join(f"<item><link>{link}</link></item>" for link in links)
            + "</channel></rss>").encode()
    bodies = {
        "/feed.rss": ("application/rss+xml", feed),
        "/index.xml": ("application/xml", index(f"{base}/index.xml", f"{base}/nested.xml", "ftp://x.example/s.xml")),
        "/nested.xml": ("application/xml", index(f"{base}/deep.xml")),
        "/broken.xml": ("application/xml", b"<html><body>a sitemap, honest</body></html>"),
        "/news/a.html": ("text/html", b"<html><body><p>A page</p></body></html>"),
    }

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path not in bodies:
            return httpx.Response(404)
        content_type, body = bodies[request.url.path]
        return httpx.Response(200, headers={"Content-Type": content_type}, stream=httpx.ByteStream(body))
    return httpx.MockTransport(handle)


def test_hostile_links_and_sitemap_indexes(tmp_path):
    base = "http://127.0.0.1:9"
    outlet = {"feeds": ["/feed.rss"], "sitemaps": ["/index.xml", "/broken.xml"]}
    sources = write_sources(tmp_path / "sources.toml", base, [outlet], crawler="delay_seconds = 0")

    [report] = crawl_outlets(sources, tmp_path / "archives", tmp_path / "state.sqlite", clock=FakeClock(),
                             transport=hostile_site(base))

    pages, refusals = contents(report.archive)
    assert pages == [f"{base}/news/a.html"]
    assert refusals == {("file:///etc/%0AWARC-Type:%20response", "unsupported_scheme"),
                        ("javascript:alert(1)", "unsupported_scheme"),
                        ("data:text/html," + "x" * (2048 - len("data:text/html,")), "unsupported_scheme"),
                        ("http://bad%20host.example/a", "invalid_url"),
                        ("ftp://x.example/s.xml", "unsupported_scheme"),
                        (f"{base}/nested.xml", "sitemap_too_deep"),
                        (f"{base}/broken.xml", "bad_sitemap")}
    assert report.feeds_fetched == 4  # the feed, the index (once, though it lists itself), the nested one, broken


def test_a_sitemap_index_reads_only_its_most_recently_changed_children(tmp_path):
    base = "http://127.0.0.1:9"
    months = [f"{base}/sitemap-2025-{month:02d}.xml" for month in range(1, 13)] * 2   # 24 children, some twice
    entries = "".join(f"<sitemap><loc>{url}?n={n}</loc><lastmod>2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}</lastmod>"
                      f"</sitemap>" for n, url in enumerate(months))
    index = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'.encode()
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.path == "/index.xml":
            return httpx.Response(200, headers={"Content-Type": "application/xml"}, stream=httpx.ByteStream(index))
        return httpx.Response(404)

    sources = write_sources(tmp_path / "sources.toml", base, [{"sitemaps": ["/index.xml"]}],
                            crawler="delay_seconds = 0")
    crawl_outlets(sources, tmp_path / "archives", tmp_path / "state.sqlite", clock=FakeClock(),
                  transport=httpx.MockTransport(handle))
    children = [url for url in asked if "sitemap-2025" in url]
    assert len(children) == MAX_SITEMAP_CHILDREN and children[0].endswith("n=23")   # 2025-12-24, the newest


# The archive file


def watching(folder: Path, seen: list[list[str]]) -> type[Fetcher]:
    """A fetcher noting the names in ``folder`` before every page fetch: what a folder scan would see."""
    class WatchingFetcher(Fetcher):
        def fetch(self, url, kind="page", *, force=False, remember=True):
            if kind == "page":
                seen.append(sorted(path.name for path in folder.iterdir()) if folder.exists() else [])
            return super().fetch(url, kind, force=force, remember=remember)
    return WatchingFetcher


def test_the_archive_appears_whole_and_no_draft_is_left(crawls):
    seen: list[list[str]] = []

    report = crawls(crawls.outlet(feeds=["/feed.atom", "/feed-more.rss"]), watching(crawls.archive_dir, seen))

    assert len(seen) == 5 and seen[0] == []  # nothing written before the first page
    drafts = {name for names in seen[1:] for name in names}
    assert len(drafts) == 1 and all(names == [*drafts] for names in seen[1:])
    draft = drafts.pop()
    assert draft.startswith(".local_news-20261125T120000Z-") and draft.endswith(".warc.gz.part")
    assert not is_input_path(Path(draft))
    assert [path.name for path in crawls.archive_dir.iterdir()] == [report.archive.name]


def test_an_archive_already_there_is_never_replaced(crawls, http_server):
    crawls(crawls.outlet(feeds=["/feed.rss"]))
    crawls.moment = START  # a second crawl within the same second
    report = crawls(crawls.outlet(feeds=["/feed.rss", "/feed.atom"]))
    assert report.archive.name == "local_news-20261125T120000Z-2.warc.gz"
    assert len(contents(crawls.archive_dir / "local_news-20261125T120000Z.warc.gz")[0]) == 3


class InterruptedFetcher(Fetcher):
    """Stopped (as by Ctrl-C) when it is about to fetch its second page."""

    def fetch(self, url, kind="page", *, force=False, remember=True):
        self.pages = getattr(self, "pages", 0) + (kind == "page")
        if self.pages == 2:
            raise KeyboardInterrupt
        return super().fetch(url, kind, force=force, remember=remember)


def test_an_interrupted_crawl_keeps_what_it_fetched_and_rereads_its_feeds(crawls, http_server):
    outlet = crawls.outlet(feeds=["/feed.atom"])
    with pytest.raises(KeyboardInterrupt):
        crawls(outlet, InterruptedFetcher)
    [archive] = crawls.archive_dir.iterdir()
    assert contents(archive) == ([http_server.article_url(3)], set())
    http_server.reset()

    report = crawls(outlet)  # the feed is unchanged, but read in full: its links were not all tried

    assert (report.feeds_fetched, report.pages_fetched, report.already_fetched) == (1, 3, 1)


class DyingDraft(Exception):
    """The process died while the archive was still a draft (simulated)."""


def test_pages_in_an_archive_that_never_appeared_are_fetched_again(crawls, http_server, monkeypatch):
    import crawl.crawler as crawler

    outlet = crawls.outlet(feeds=["/feed.atom"])
    publish = crawler._publish

    def die(*args):
        raise DyingDraft

    monkeypatch.setattr(crawler, "_publish", die)
    with pytest.raises(DyingDraft):
        crawls(outlet)
    monkeypatch.setattr(crawler, "_publish", publish)
    report = crawls(outlet)
    assert (report.pages_fetched, report.already_fetched) == (4, 0)   # nothing was lost


# Crawling several outlets


def test_crawl_outlets_shares_the_state_and_uses_each_outlets_delay(tmp_path, http_server):
    sources = write_sources(tmp_path / "sources.toml", http_server.base_url,
                            [{"feeds": ["/feed.atom"]}, {"feeds": ["/feed.rss"], "delay_seconds": 7}],
                            crawler="delay_seconds = 3")
    clock = FakeClock()

    reports = crawl_outlets(sources, tmp_path / "archives", tmp_path / "crawl" / "state.sqlite", clock=clock)

    assert [report.outlet_key for report in reports] == ["local_news", "local_news_1"]
    assert [(report.pages_fetched, report.already_fetched) for report in reports] == [(4, 0), (0, 3)]
    assert set(clock.sleeps) == {3.0, 7.0}
    assert (tmp_path / "crawl" / "state.sqlite").exists()


def test_crawl_outlets_only_some(tmp_path, http_server):
    sources = write_sources(tmp_path / "sources.toml", http_server.base_url,
                            [{"feeds": ["/feed.atom"]}, {"feeds": ["/feed.rss"]}], crawler="delay_seconds = 0")
    [report] = crawl_outlets(sources, tmp_path / "archives", tmp_path / "state.sqlite", only=["local_news_1"],
                             clock=FakeClock())
    assert report.outlet_key == "local_news_1" and http_server.hits_for("/feed.atom") == 0
    with pytest.raises(ValueError, match="no outlet with key nope"):
        crawl_outlets(sources, tmp_path / "archives", tmp_path / "state.sqlite", only=["nope"])

"""The fetcher against the local test site: politeness, SSRF safety, caps, retries and every refusal.

Only 127.0.0.1 is allow-listed; names reach it through a fake resolver, and waits go to a fake clock
that records them, so nothing here really sleeps except the two timeout tests (about 0.3 s each).
"""
from __future__ import annotations

import socket
import time
import tracemalloc
from datetime import UTC, datetime

import httpx
import pytest

from crawl.fetcher import Fetched, Fetcher, FetchPolicy, Refusal
from crawl.state import FetchState, Validators
from tests.crawl.conftest import SECURE_HOST
from tests.http_server import ARTICLES, LAST_MODIFIED, SAMPLES, brotli_bomb, gzip_bomb, news_sitemap
from tests.crawl.fakes import ALLOW_LOCAL, FakeClock

WALL = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
CAP = 1024 * 1024


class FakeResolver:
    """Names to addresses, counting lookups; an answer may be a function of the lookup number.
    Unknown names fail as DNS does."""

    def __init__(self, table=None):
        self.table = table or {}
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answer = self.table[host]
        return answer(len(self.calls)) if callable(answer) else list(answer)


class RecordingTransport(httpx.BaseTransport):
    """The real transport, noting each request the fetcher hands it; ``failing=(prefix, error)`` makes
    requests for paths under ``prefix`` raise ``error`` instead, as a dropped connection would."""

    def __init__(self, inner: httpx.BaseTransport | None = None, failing: tuple[str, type] | None = None):
        self.inner = inner or httpx.HTTPTransport()
        self.failing = failing
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failing and request.url.path.startswith(self.failing[0]):
            raise self.failing[1]("simulated failure", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def make():
    """``make(**policy)`` builds a fetcher for the local site; keyword arguments that are not policy
    fields (resolver, clock, state, transport) go to the fetcher. All are closed after the test."""
    made = []

    def build(*, resolver=None, clock=None, state=None, transport=None, **policy) -> Fetcher:
        settings = {"allowed_networks": ALLOW_LOCAL, "timeout_seconds": 2.0, "max_body_bytes": CAP, **policy}
        fetcher = Fetcher(FetchPolicy(**settings), state=state, resolver=resolver or FakeResolver(),
                          clock=clock or FakeClock(), transport=transport, wall_clock=lambda: WALL)
        made.append(fetcher)
        return fetcher

    yield build
    for fetcher in made:
        fetcher.close()


def refused(result, reason: str) -> Refusal:
    assert isinstance(result, Refusal), result
    assert result.reason == reason, result
    return result


def fetched(result) -> Fetched:
    assert isinstance(result, Fetched), result
    return result


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Plain success


def test_fetches_a_sample_article(make, http_server):
    url = http_server.article_url(0)
    result = fetched(make().fetch(url))
    assert result.body == (SAMPLES / f"{ARTICLES[0]}.html").read_bytes()
    assert (result.url, result.final_url, result.status) == (url, url, 200)
    assert result.content_type.startswith("text/html") and result.fetched_at == WALL and not result.not_modified
    assert http_server.paths() == ["/robots.txt", f"/news/{ARTICLES[0]}.html"]
    headers = http_server.hits[-1].headers
    assert headers["User-Agent"] == "KabarBot/0.5 (+https://github.com/kabar-news/kabar)"
    assert headers["Accept-Encoding"] == "gzip, deflate, br"


def test_user_agent_is_configurable(make, http_server):
    fetched(make(user_agent="TestBot/1.0").fetch(http_server.article_url(1)))
    assert {hit.headers["User-Agent"] for hit in http_server.hits} == {"TestBot/1.0"}


@pytest.mark.parametrize("path, text", [("/gzip-page", "gzip encoded"), ("/deflate-page", "deflate encoded"),
                                        ("/raw-deflate-page", "raw deflate"), ("/br-page", "brotli encoded")])
def test_decodes_content_encodings(make, http_server, path, text):
    assert f"<p>{text}</p>".encode() in fetched(make().fetch(http_server.url(path))).body


# URLs that are never fetched


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/news/x.html", "data:text/html,<p>hi</p>",
                                 "javascript:alert(1)", "gopher://127.0.0.1:70/"])
def test_only_http_and_https(make, http_server, url):
    refused(make().fetch(url), "unsupported_scheme")
    assert http_server.hits == []


@pytest.mark.parametrize("url", ["", "not a url", "http://", "http:///path", "http://[::1", "http://exa mple.com/",
                                 "http://example.com:99999/", "//127.0.0.1/news/", None, 42])
def test_malformed_urls_are_refused_not_raised(make, url):
    refused(make().fetch(url), "invalid_url")


def test_unresolvable_names(make):
    resolver = FakeResolver({"empty.example": [], "garbage.example": ["not-an-ip"]})
    fetcher = make(resolver=resolver)
    for name in ("nowhere.example", "empty.example", "garbage.example"):
        refused(fetcher.fetch(f"http://{name}/news/"), "dns_failure")


# SSRF


@pytest.mark.parametrize("addresses, kind", [
    (["10.0.0.5"], "private"),
    (["169.254.169.254"], "link-local"),
    (["224.0.0.1"], "multicast"),
    (["239.255.255.250"], "multicast"),
    (["0.0.0.0"], "unspecified"),
    (["127.0.0.2"], "loopback"),
    (["240.0.0.1"], "reserved"),
    (["100.64.0.1"], "not a public"),
    (["::ffff:10.0.0.5"], "private"),
    (["::ffff:169.254.169.254"], "link-local"),
    (["::1"], "loopback"),
    (["fe80::1"], "link-local"),
    (["fc00::1"], "private"),
    (["ff02::1"], "multicast"),
    (["2002:a00:5::1"], "private"),  # 6to4 wrapping 10.0.0.5
    (["64:ff9b::a9fe:a9fe"], "reserved"),  # NAT64 (wrapping 169.254.169.254)
    (["127.0.0.1", "10.0.0.5"], "private"),  # every answer is checked, not just the first
])
def test_names_resolving_to_internal_addresses_are_refused(make, http_server, addresses, kind):
    resolver = FakeResolver({"intranet.example": addresses})
    refusal = refused(make(resolver=resolver).fetch(http_server.article_url(0, "intranet.example")), "private_address")
    assert kind in refusal.detail
    assert http_server.hits == []


@pytest.mark.parametrize("url", ["http://10.0.0.5/", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::ffff:10.0.0.5]/", "http://[::ffff:127.0.0.2]/", "http://224.0.0.1/",
                                 "http://[::1]/", "http://0.0.0.0/"])
def test_literal_internal_addresses_are_refused_without_a_lookup(make, url):
    resolver = FakeResolver()
    refused(make(resolver=resolver).fetch(url), "private_address")
    assert resolver.calls == []


def test_loopback_needs_the_allow_list(make, http_server):
    refused(make(allowed_networks=()).fetch(http_server.article_url(0)), "private_address")
    assert http_server.hits == []


def test_redirect_to_another_loopback_address_is_refused(make, http_server):
    refusal = refused(make().fetch(http_server.url("/to-private")), "private_address")
    assert "127.0.0.2" in refusal.detail and http_server.hits_for("/to-private") == 1


def test_one_lookup_per_request_and_the_connection_goes_to_the_checked_address(make, http_server):
    """The name answers 127.0.0.1 twice (robots.txt, then the page) and 10.0.0.5 from then on: a fetcher
    that looked the name up again to connect would be rebound, but the request goes to the address checked."""
    resolver = FakeResolver({"rebind.example": lambda call: ["127.0.0.1"] if call <= 2 else ["10.0.0.5"]})
    transport = RecordingTransport()
    fetcher = make(resolver=resolver, transport=transport)
    result = fetched(fetcher.fetch(http_server.article_url(0, "rebind.example")))
    assert result.final_url == http_server.article_url(0, "rebind.example")
    assert resolver.calls == ["rebind.example", "rebind.example"]
    assert [request.url.host for request in transport.requests] == ["127.0.0.1", "127.0.0.1"]
    assert {hit.host for hit in http_server.hits} == {f"rebind.example:{http_server.port}"}
    refused(fetcher.fetch(http_server.article_url(1, "rebind.example")), "private_address")
    assert len(resolver.calls) == 3 and len(http_server.hits) == 2


def test_https_verifies_the_hostname_while_connecting_to_the_checked_address(make, https_server):
    server, trust = https_server
    resolver = FakeResolver({SECURE_HOST: ["127.0.0.1"], "impostor.example": ["127.0.0.1"]})
    transport = RecordingTransport(httpx.HTTPTransport(verify=trust))
    fetcher = make(resolver=resolver, transport=transport, retries=0)
    result = fetched(fetcher.fetch(server.article_url(2, SECURE_HOST)))
    assert result.body == (SAMPLES / f"{ARTICLES[2]}.html").read_bytes()
    assert transport.requests[-1].url.host == "127.0.0.1"
    assert transport.requests[-1].extensions["sni_hostname"] == SECURE_HOST
    assert transport.requests[-1].headers["Connection"] == "close"  # no TLS connection reused for another name
    assert server.hits[-1].host == f"{SECURE_HOST}:{server.port}"
    # The certificate names secure.example only: another name at the same address fails verification
    # (robots.txt cannot be read, so the whole host is off limits).
    refusal = refused(fetcher.fetch(server.article_url(2, "impostor.example")), "robots_disallowed")
    assert "connection_error" in refusal.detail and "CERTIFICATE_VERIFY_FAILED" in refusal.detail
    refusal = refused(fetcher.fetch(server.article_url(2)), "robots_disallowed")  # nor for its IP address
    assert "CERTIFICATE_VERIFY_FAILED" in refusal.detail
    assert len(server.hits) == 2


def test_cookies_are_not_kept(make, http_server):
    fetcher = make()
    fetched(fetcher.fetch(http_server.url("/set-cookie")))
    fetched(fetcher.fetch(http_server.article_url(0)))
    assert all("Cookie" not in hit.headers for hit in http_server.hits)


# robots.txt


def test_robots_txt_is_obeyed_and_read_once_per_host(make, http_server):
    fetcher = make()
    refusal = refused(fetcher.fetch(http_server.url("/private/secret.html")), "robots_disallowed")
    assert "robots.txt" in refusal.detail
    fetched(fetcher.fetch(http_server.article_url(0)))
    refused(fetcher.fetch(http_server.url("/to-secret")), "robots_disallowed")  # every hop is checked
    assert http_server.hits_for("/robots.txt") == 1 and http_server.hits_for("/private/secret.html") == 0


@pytest.mark.parametrize("name, allowed", [("robots-missing.example", True), ("robots-html.example", True),
                                           ("robots-down.example", False)])
def test_missing_robots_allows_all_and_unavailable_robots_disallows_all(make, http_server, name, allowed):
    fetcher = make(resolver=FakeResolver({name: ["127.0.0.1"]}), retries=0)
    result = fetcher.fetch(http_server.url("/private/secret.html", name))
    if allowed:
        fetched(result)
    else:
        assert "HTTP 503" in refused(result, "robots_disallowed").detail
        assert http_server.hits_for("/private/secret.html") == 0


def test_unreachable_robots_disallows_all(make):
    port = closed_port()
    refusal = refused(make(retries=0).fetch(f"http://127.0.0.1:{port}/news/"), "robots_disallowed")
    assert "connection_error" in refusal.detail


# Politeness and retries


def test_requests_to_one_host_wait_the_delay(make, http_server):
    clock = FakeClock()
    fetcher = make(clock=clock, delay_seconds=1.5, resolver=FakeResolver({"other.example": ["127.0.0.1"]}))
    fetched(fetcher.fetch(http_server.article_url(0)))  # robots.txt, then the page 1.5 s later
    fetched(fetcher.fetch(http_server.article_url(1)))
    assert clock.sleeps == [1.5, 1.5]
    fetched(fetcher.fetch(http_server.article_url(0, "other.example")))  # another host: its robots.txt at once
    assert clock.sleeps == [1.5, 1.5, 1.5]
    clock.time += 10
    fetched(fetcher.fetch(http_server.article_url(2)))  # the delay has long passed
    assert clock.sleeps == [1.5, 1.5, 1.5]


def test_retry_after_seconds_is_honoured(make, http_server):
    clock = FakeClock()
    result = fetched(make(clock=clock, delay_seconds=0).fetch(http_server.url("/rate-limited")))
    assert result.status == 200 and clock.sleeps == [7.0] and http_server.hits_for("/rate-limited") == 2


def test_retry_after_http_date_is_honoured(make, http_server):
    clock = FakeClock()
    fetched(make(clock=clock, delay_seconds=0).fetch(http_server.url("/rate-limited-date")))
    assert clock.sleeps == [30.0]


def test_retry_after_beyond_the_cap_gives_up(make, http_server):
    clock = FakeClock()
    refusal = refused(make(clock=clock, delay_seconds=0).fetch(http_server.url("/rate-limited-long")),
                      "retry_after_too_long")
    assert "3600" in refusal.detail and clock.sleeps == [] and http_server.hits_for("/rate-limited-long") == 1


def test_server_errors_are_retried_with_exponential_backoff(make, http_server):
    clock = FakeClock()
    fetched(make(clock=clock, delay_seconds=0).fetch(http_server.url("/flaky")))
    assert clock.sleeps == [1.0, 2.0] and http_server.hits_for("/flaky") == 3


def test_persistent_server_errors_end_in_http_error(make, http_server):
    clock = FakeClock()
    fetcher = make(clock=clock, delay_seconds=0, retries=2, backoff_seconds=100, max_wait_seconds=150)
    assert "503" in refused(fetcher.fetch(http_server.url("/down")), "http_error").detail
    assert clock.sleeps == [100.0, 150.0] and http_server.hits_for("/down") == 3


def test_client_errors_are_not_retried(make, http_server):
    assert "404" in refused(make().fetch(http_server.url("/news/no-such-story.html")), "http_error").detail
    assert http_server.hits_for("/news/no-such-story.html") == 1


@pytest.mark.parametrize("error, reason", [(httpx.ConnectError, "connection_error"),
                                           (httpx.ConnectTimeout, "timeout")])
def test_connection_trouble_is_retried_then_refused(make, http_server, error, reason):
    clock = FakeClock()
    transport = RecordingTransport(failing=("/news/", error))
    fetcher = make(clock=clock, transport=transport, retries=2, delay_seconds=0)
    refusal = refused(fetcher.fetch(http_server.article_url(0)), reason)
    assert http_server.article_url(0) in refusal.detail
    assert clock.sleeps == [1.0, 2.0] and len(transport.requests) == 4  # robots.txt, then three tries


def test_a_silent_server_times_out(make, http_server):
    started = time.monotonic()
    refused(make(timeout_seconds=0.3, retries=0).fetch(http_server.url("/slow")), "timeout")
    assert time.monotonic() - started < 0.9


def test_a_trickling_server_hits_the_total_timeout(make, http_server):
    started = time.monotonic()
    refusal = refused(make(timeout_seconds=0.3, retries=0).fetch(http_server.url("/trickle")), "timeout")
    assert "took over 0.3 s" in refusal.detail and time.monotonic() - started < 0.9


# Redirects


def test_redirects_are_followed(make, http_server):
    result = fetched(make().fetch(http_server.url("/to-news")))
    assert (result.url, result.final_url) == (http_server.url("/to-news"), http_server.article_url(0))


def test_redirect_limit(make, http_server):
    fetcher = make(max_redirects=5)
    fetched(fetcher.fetch(http_server.url("/chain/5")))
    refused(fetcher.fetch(http_server.url("/chain/6")), "too_many_redirects")
    refused(fetcher.fetch(http_server.url("/too-many")), "too_many_redirects")
    assert http_server.hits_for("/chain/0") == 1  # only the chain that fitted reached its end


def test_redirect_loop(make, http_server):
    refused(make().fetch(http_server.url("/loop-a")), "redirect_loop")
    assert http_server.hits_for("/loop-a") == 1 and http_server.hits_for("/loop-b") == 1


def test_odd_redirects(make, http_server):
    fetcher = make()
    refused(fetcher.fetch(http_server.url("/to-file")), "unsupported_scheme")
    refused(fetcher.fetch(http_server.url("/no-location")), "http_error")


# Size caps and bombs


def test_a_huge_body_is_refused_while_streaming(make, http_server):
    refused(make().fetch(http_server.url("/huge")), "too_large")
    refused(make().fetch(http_server.url("/huge-declared")), "too_large")
    huge = next(hit for hit in http_server.hits if hit.path == "/huge")
    deadline = time.monotonic() + 5
    while not huge.finished and time.monotonic() < deadline:
        time.sleep(0.01)
    assert huge.finished and not huge.completed  # the server could not send it all: reading stopped at the cap


@pytest.mark.parametrize("path, kind", [("/bomb.gz", "page"), ("/bomb.br", "page"), ("/sitemap-bomb.xml.gz", "sitemap")])
def test_compression_bombs_are_refused_in_bounded_memory(make, http_server, path, kind):
    gzip_bomb(), brotli_bomb()  # built (and cached) by the server before we measure
    fetcher = make()
    tracemalloc.start()
    try:
        refusal = refused(fetcher.fetch(http_server.url(path), kind), "decompression_bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(CAP) in refusal.detail
    assert peak < 8 * CAP  # the bomb decompresses to 50 MiB


@pytest.mark.parametrize("path", ["/bad-gzip", "/zstd-page"])
def test_undecodable_bodies(make, http_server, path):
    refused(make().fetch(http_server.url(path)), "bad_encoding")


# Content types


@pytest.mark.parametrize("path, kind", [("/image", "page"), ("/no-content-type", "page"), ("/feed.rss", "page"),
                                        ("/text", "feed"), (f"/news/{ARTICLES[0]}.html", "feed"),
                                        ("/feed.rss", "sitemap"), ("/text", "sitemap")])
def test_wrong_content_types(make, http_server, path, kind):
    refused(make().fetch(http_server.url(path), kind), "wrong_content_type")


def test_feeds_and_sitemaps(make, http_server):
    fetcher = make()
    rss = fetched(fetcher.fetch(http_server.url("/feed.rss"), "feed")).body
    assert b"utm_source=rss" in rss and b"file:///etc/passwd" in rss and b"ftp://" in rss
    assert b"<feed" in fetched(fetcher.fetch(http_server.url("/feed.atom"), "feed")).body
    assert b"<sitemapindex" in fetched(fetcher.fetch(http_server.url("/sitemap_index.xml"), "sitemap")).body
    assert b"<news:publication_date>" in fetched(fetcher.fetch(http_server.url("/sitemap-news.xml"), "sitemap")).body
    gzipped = fetched(fetcher.fetch(http_server.url("/sitemap-news.xml.gz"), "sitemap"))
    assert gzipped.body == news_sitemap(http_server.base_url)


# Conditional GET and fetching once


def test_feeds_are_fetched_again_but_conditionally(make, http_server):
    fetcher = make()
    for kind, path in [("feed", "/feed.rss"), ("feed", "/feed.atom"), ("sitemap", "/sitemap-news.xml")]:
        first = fetched(fetcher.fetch(http_server.url(path), kind))
        second = fetched(fetcher.fetch(http_server.url(path), kind))
        assert not first.not_modified and first.body
        assert second.not_modified and second.status == 304 and second.body == b""
        assert http_server.hits[-1].headers["If-None-Match"].startswith('"')
        assert http_server.hits[-1].headers["If-Modified-Since"] == LAST_MODIFIED


def test_last_modified_alone_makes_the_request_conditional(make, http_server):
    state = FetchState()
    state.remember_validators(http_server.url("/feed.rss"), Validators(None, LAST_MODIFIED))
    assert fetched(make(state=state).fetch(http_server.url("/feed.rss"), "feed")).not_modified
    assert "If-None-Match" not in http_server.hits[-1].headers


def test_a_page_is_fetched_once_unless_forced(make, http_server, tmp_path):
    path = tmp_path / "crawl" / "state.sqlite"
    with FetchState(path) as state:
        fetcher = make(state=state)
        fetched(fetcher.fetch(http_server.url("/to-news")))
        refused(fetcher.fetch(http_server.url("/to-news")), "already_fetched")
        refused(fetcher.fetch(http_server.article_url(0)), "already_fetched")  # reached through the redirect
        assert http_server.hits_for(f"/news/{ARTICLES[0]}.html") == 1
        forced = fetched(fetcher.fetch(http_server.article_url(0), force=True))
        assert forced.body and http_server.hits_for(f"/news/{ARTICLES[0]}.html") == 2
    with FetchState(path) as state:  # the next crawl remembers
        refused(make(state=state).fetch(http_server.url("/to-news")), "already_fetched")


def test_pages_are_asked_for_in_full_even_with_an_etag_known(make, http_server):
    """A page is new to the archive until marked fetched, and a forced fetch wants the body: never a 304."""
    fetcher = make()
    assert fetched(fetcher.fetch(http_server.url("/etag-page"))).body
    refused(fetcher.fetch(http_server.url("/etag-page")), "already_fetched")
    again = fetched(fetcher.fetch(http_server.url("/etag-page"), force=True))
    assert not again.not_modified and again.body and http_server.hits_for("/etag-page") == 2


def test_a_page_not_remembered_is_fetched_again_until_marked(make, http_server):
    fetcher = make()
    first = fetched(fetcher.fetch(http_server.url("/etag-page"), remember=False))
    assert fetched(fetcher.fetch(http_server.url("/etag-page"), remember=False)).body   # stored nowhere yet
    fetcher.mark_fetched(first)
    refused(fetcher.fetch(http_server.url("/etag-page")), "already_fetched")


def test_unknown_kind_is_a_programming_error(make):
    with pytest.raises(ValueError):
        make().fetch("http://127.0.0.1/", "robots")


# The state file


def test_state_keeps_validators_and_fetched_pages(tmp_path):
    path = tmp_path / "home" / "crawl" / "state.sqlite"
    with FetchState(path) as state:
        state.remember_validators("http://a.example/feed", Validators('"v1"', LAST_MODIFIED))
        state.mark_fetched("http://a.example/story", WALL)
    with FetchState(path) as state:
        assert state.validators("http://a.example/feed") == Validators('"v1"', LAST_MODIFIED)
        assert state.was_fetched("http://a.example/story") and not state.was_fetched("http://a.example/other")
        state.remember_validators("http://a.example/feed", Validators(None, None))
        assert state.validators("http://a.example/feed") is None

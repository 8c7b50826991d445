"""``Fetcher.stream``, the fetcher's mode for backfill archives, against the local test site: the crawl's
address, scheme and redirect checks hold; robots.txt and the page cap do not; the archive cap is kept
on the wire."""
from __future__ import annotations

import time
from contextlib import ExitStack

import pytest

from crawl.fetcher import Fetcher, FetchPolicy, StreamRefused
from tests.crawl.fakes import ALLOW_LOCAL, FakeClock
from tests.http_server import ARTICLES, HUGE_BYTES, SAMPLES

CAP = 1024 * 1024


@pytest.fixture
def make():
    """``make(**policy)``: a fetcher that may reach 127.0.0.1 and never really sleeps; closed after the test."""
    with ExitStack() as fetchers:
        yield lambda **policy: fetchers.enter_context(Fetcher(
            FetchPolicy(**{"allowed_networks": ALLOW_LOCAL, "timeout_seconds": 2.0, **policy}), clock=FakeClock()))


def refused(fetcher, url: str, reason: str) -> str:
    """Streams ``url`` to its end, expecting a refusal for ``reason``; its detail."""
    with pytest.raises(StreamRefused) as raised:
        with fetcher.stream(url) as pieces:
            for _ in pieces:
                pass
    assert raised.value.refusal.reason == reason, raised.value.refusal
    return raised.value.refusal.detail


def finished(hit):
    """``hit`` once the server's handler has returned (the client hung up, or it wrote everything)."""
    deadline = time.monotonic() + 5
    while not hit.finished and time.monotonic() < deadline:
        time.sleep(0.01)
    return hit


def test_streams_the_body_as_it_is_without_robots_or_the_page_cap(make, http_server):
    fetcher = make(max_body_bytes=10)   # the page cap does not apply to archives
    with fetcher.stream(http_server.article_url(0)) as pieces:
        body = b"".join(pieces)
    assert body == (SAMPLES / f"{ARTICLES[0]}.html").read_bytes()
    assert http_server.paths() == [f"/news/{ARTICLES[0]}.html"]   # no robots.txt
    assert http_server.hits[0].headers["Accept-Encoding"] == "identity"
    with fetcher.stream(http_server.article_url(0)) as pieces:   # nothing remembers it was fetched
        assert b"".join(pieces) == body


def test_refuses_what_is_not_http(make):
    assert "file" in refused(make(), "file:///etc/passwd", "unsupported_scheme")
    refused(make(), "s3://bucket/key.warc.gz", "unsupported_scheme")


def test_refuses_loopback_unless_allow_listed(make, http_server):
    assert "loopback" in refused(make(allowed_networks=()), http_server.article_url(0), "private_address")
    assert http_server.paths() == []


def test_checks_every_redirect_hop(make, http_server):
    with make().stream(http_server.url("/to-news")) as pieces:   # a redirect to an allowed address is followed
        assert b"".join(pieces) == (SAMPLES / f"{ARTICLES[0]}.html").read_bytes()
    assert "127.0.0.2" in refused(make(), http_server.url("/to-private"), "private_address")
    assert http_server.hits_for("/to-private") == 1
    refused(make(), http_server.url("/to-file"), "unsupported_scheme")


def test_an_error_status_is_a_refusal(make, http_server):
    assert "HTTP 404" in refused(make(), http_server.url("/no-such-archive.warc.gz"), "http_error")
    refused(make(retries=1), http_server.url("/down"), "http_error")   # retried, then refused
    assert http_server.hits_for("/down") == 2


def test_the_archive_cap_is_kept_on_the_wire(make, http_server):
    assert str(CAP) in refused(make(max_archive_bytes=CAP), http_server.url("/huge-declared"), "too_large")
    fetcher = make(max_archive_bytes=CAP)
    received = 0
    with pytest.raises(StreamRefused) as raised:
        with fetcher.stream(http_server.url("/huge")) as pieces:
            for piece in pieces:
                received += len(piece)
    assert raised.value.refusal.reason == "too_large" and CAP - 65536 <= received <= CAP
    huge = finished(next(hit for hit in http_server.hits if hit.path == "/huge"))
    assert not huge.completed   # the server could not send all 32 MB: reading stopped at the cap


def test_pieces_come_as_they_are_read(make, http_server):
    with make(max_archive_bytes=HUGE_BYTES).stream(http_server.url("/huge")) as pieces:
        first = next(pieces)
    assert 0 < len(first) < HUGE_BYTES
    huge = finished(next(hit for hit in http_server.hits if hit.path == "/huge"))
    assert not huge.completed   # leaving the block after one piece hung up on the rest

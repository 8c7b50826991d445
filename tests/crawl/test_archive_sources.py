"""A backfill's archive locations read as streams (``pipeline.archive_sources``) from the local test site:
in pieces, the archive cap firing partway, every failure one ``ArchiveUnavailable`` line."""
from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from pipeline.archive_sources import host_filter, listed_archives, month_filter, open_location, path_month
from pipeline.config import Config
from tests.crawl.test_crawler import write_sources
from tests.http_server import HUGE_BYTES
from transforms.warc import ArchiveUnavailable

CAP = 1024 * 1024


@pytest.fixture
def config(tmp_path, http_server) -> Config:
    """A configuration whose sources file allow-lists the local site (as a crawl's does)."""
    sources = tmp_path / "sources.toml"
    write_sources(sources, http_server.base_url, [{"feeds": ["/feed.rss"]}])
    return Config(home=tmp_path / "home", warehouse=tmp_path / "warehouse.duckdb", sources=sources,
                  max_archive_bytes=CAP)


def huge_hit(server):
    hit = next(hit for hit in server.hits if hit.path == "/huge")
    deadline = time.monotonic() + 5
    while not hit.finished and time.monotonic() < deadline:
        time.sleep(0.01)
    return hit


def test_a_url_is_read_in_pieces_and_never_whole(config, http_server):
    with open_location(config, http_server.url("/huge")) as stream:
        assert len(stream.read(1000)) == 1000 and stream.tell() == 1000
    assert not huge_hit(http_server).completed   # the rest of the 32 MB was never asked for


def test_the_archive_cap_fires_partway_as_one_line(config, http_server):
    with pytest.raises(ArchiveUnavailable, match=rf"^cannot read http://\S+/huge: body is over {CAP} bytes \(too_large\)$"):
        with open_location(config, http_server.url("/huge")) as stream:
            while stream.read(65536):
                pass
    assert stream.tell() <= CAP < HUGE_BYTES and not huge_hit(http_server).completed


def test_refusals_are_one_line(config, http_server, tmp_path):
    refusals = {http_server.url("/missing.warc.gz"): "HTTP 404", "http://127.0.0.2:9/x.warc.gz": "loopback address",
                str(tmp_path / "gone.warc.gz"): "No such file"}
    for location, said in refusals.items():
        with pytest.raises(ArchiveUnavailable, match=said) as raised:
            with open_location(config, location) as stream:
                stream.read(1)
        assert "\n" not in str(raised.value)


def write_listing(path: Path, lines: list[str]) -> str:
    path.write_bytes(gzip.compress("".join(f"{line}\n" for line in lines).encode()))
    return str(path)


def test_a_listing_names_archives_under_the_base_url_and_picks_a_month(config, tmp_path):
    paths = ["crawl-data/CC-NEWS/2024/01/CC-NEWS-20240131235959-00001.warc.gz",
             "crawl-data/CC-NEWS/2024/02/CC-NEWS-20240201000000-00002.warc.gz", "",
             "elsewhere/CC-NEWS-20240215101010-00003.warc.gz"]
    listing = write_listing(tmp_path / "warc.paths.gz", paths)
    base = "https://data.commoncrawl.org"
    assert listed_archives(config, listing) == [f"{base}/{path}" for path in paths if path]
    assert listed_archives(config, listing, "2024-02") == [f"{base}/{paths[1]}", f"{base}/{paths[3]}"]
    assert [path_month(path) for path in paths] == ["2024-01", "2024-02", None, "2024-02"]


def test_a_file_that_is_not_a_gzip_listing_is_one_line(config, tmp_path):
    plain = tmp_path / "warc.paths.gz"
    plain.write_text("crawl-data/CC-NEWS/2024/01/x.warc.gz\n")
    with pytest.raises(ArchiveUnavailable, match="not a gzip listing of archive paths"):
        listed_archives(config, str(plain))


def test_month_and_host_filters_are_checked():
    assert month_filter("2024-01") == "2024-01"
    assert host_filter(" News.Example.COM. ") == "news.example.com" and host_filter("bücher.de") == "xn--bcher-kva.de"
    for bad in ("2024-13", "2024-1", "January"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            month_filter(bad)
    for bad in ("https://example.com/", "example.com/news", "", "a..b"):
        with pytest.raises(ValueError, match="host name"):
            host_filter(bad)

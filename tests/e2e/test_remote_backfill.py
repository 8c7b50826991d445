"""`kabar backfill` over archives on a local HTTP server (127.0.0.1, allow-listed as a crawl's sources
file does): the rows a local backfill of the same file loads, CC-NEWS listings with --month and
--host, and every refusal one line."""
from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.crawl.test_crawler import write_sources
from tests.warcs import sample_pages, write_archive
from tests.warehouse_rows import warehouse_rows

pytestmark = pytest.mark.e2e


class _Files(SimpleHTTPRequestHandler):
    """A folder's files, each request's path noted on the server; asked for with ``?unsized``, without a
    Content-Length (the body ends when the connection closes), so only reading finds its size."""

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        super().do_GET()

    def send_header(self, keyword: str, value: str) -> None:
        if not (keyword == "Content-Length" and self.path.endswith("?unsized")):
            super().send_header(keyword, value)


@contextmanager
def serving(folder: Path) -> Iterator[ThreadingHTTPServer]:
    """``folder`` on a free port of 127.0.0.1 until the block ends; ``.base`` is its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Files, directory=str(folder)))
    server.daemon_threads, server.paths = True, []
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def allow_loopback(monkeypatch, tmp_path: Path, base: str) -> None:
    """A sources file whose [crawler] table allow-lists 127.0.0.1, as KABAR_SOURCES."""
    sources = tmp_path / "sources.toml"
    write_sources(sources, base, [{"feeds": ["/feed.rss"]}])
    monkeypatch.setenv("KABAR_SOURCES", str(sources))


def use_home(monkeypatch, home: Path) -> Path:
    monkeypatch.setenv("KABAR_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home


def articles(capsys) -> list[str]:
    capsys.readouterr()
    assert main(["sql", "select url from articles order by url", "--json"]) == 0
    return [row["url"] for row in json.loads(capsys.readouterr().out)]


def files_holding(folder: Path, data: bytes) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and data in path.read_bytes()]


def test_backfill_over_http_loads_what_the_local_file_loads(kabar_home, tmp_path, monkeypatch, capsys):
    served = tmp_path / "served"
    served.mkdir()
    archive = write_archive(served / "part.warc.gz", sample_pages(4))
    assert main(["backfill", str(archive)]) == 0
    local_rows = warehouse_rows(kabar_home / "warehouse.duckdb")
    remote_home = use_home(monkeypatch, tmp_path / "remote-home")
    with serving(served) as server:
        allow_loopback(monkeypatch, tmp_path, server.base)
        url = f"{server.base}/part.warc.gz"
        assert main(["backfill", url]) == 0
        assert main(["backfill", url]) == 0   # idempotent: read again, nothing new
    assert "already loaded          4" in capsys.readouterr().out
    assert server.paths == ["/part.warc.gz", "/part.warc.gz"]   # no robots.txt, no second try
    # The same rows, but for where each document was read (``origin``: the URL instead of the path).
    assert warehouse_rows(remote_home / "warehouse.duckdb") == {
        table: sorted(row.replace(str(archive), url) for row in rows) for table, rows in local_rows.items()}
    assert any(url in row for row in warehouse_rows(remote_home / "warehouse.duckdb")["articles"])
    # Streamed: the archive's bytes were never written under the home, nor anywhere the run keeps files.
    head = archive.read_bytes()[:4096]
    assert files_holding(remote_home, head) == [] and files_holding(tmp_path, head) == [archive]


def cc_news(folder: Path, month: str, number: int, pages: list[tuple[str, bytes]]) -> str:
    year, mon = month.split("-")
    path = f"crawl-data/CC-NEWS/{year}/{mon}/CC-NEWS-{year}{mon}15093000-{number:05d}.warc.gz"
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    write_archive(folder / path, pages, extras=False)
    return path


def test_a_cc_news_listing_backfills_the_month_and_hosts_asked_for(kabar_home, tmp_path, monkeypatch, capsys):
    bodies = [body for _, body in sample_pages(6)]
    january = [("https://a.example/one", bodies[0]), ("https://news.a.example/two", bodies[1]),
               ("https://b.example/three", bodies[2]), ("https://nota.example/four", bodies[3])]
    february = [("https://a.example/five", bodies[4]), ("https://b.example/six", bodies[5])]
    served = tmp_path / "cc"
    served.mkdir()
    paths = [cc_news(served, "2024-01", 1, january), cc_news(served, "2024-02", 2, february)]
    (served / "warc.paths.gz").write_bytes(gzip.compress("\n".join(paths).encode() + b"\n"))
    with serving(served) as server:
        allow_loopback(monkeypatch, tmp_path, server.base)
        monkeypatch.setenv("KABAR_CC_BASE_URL", f"{server.base}/")
        assert main(["backfill", f"{server.base}/warc.paths.gz", "--month", "2024-01", "--host", "A.example"]) == 0
    out = capsys.readouterr().out
    assert server.paths == ["/warc.paths.gz", f"/{paths[0]}"]   # February's archive is never fetched
    assert re.search(r"other host \(--host\) 4\b", out) and "request 2" in out   # b.example and nota.example
    assert articles(capsys) == ["https://a.example/one", "https://news.a.example/two"]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kabar: "), err
    return err[0]


def test_bad_locations_and_filters_are_one_line_errors(kabar_home, tmp_path, capsys):
    listing = tmp_path / "warc.paths.gz"
    listing.write_bytes(gzip.compress(b"crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101000000-00001.warc.gz\n"))
    cases = [(["backfill", str(listing), "--month", "2024-1"], 1, "YYYY-MM"),
             (["backfill", str(listing), "--month", "2023-12"], 1, "lists no archive of 2023-12"),
             (["backfill", str(tmp_path / "missing.paths.gz")], 2, "no such listing file"),
             (["backfill", "ftp://example.com/a.warc.gz"], 2, "only local paths"),
             (["backfill", "s3://bucket/a.warc.gz", "--month", "2024-01"], 1, "--month picks archives"),
             (["backfill", "s3://bucket/a.warc.gz", "--host", "https://a.example/"], 1, "host name")]
    for argv, code, said in cases:
        assert main(argv) == code, argv
        assert said in one_line_error(capsys)


def test_a_refused_or_oversized_archive_fails_its_step_in_one_line(kabar_home, tmp_path, monkeypatch, capsys):
    served = tmp_path / "served"
    served.mkdir()
    archive = write_archive(served / "part.warc.gz", sample_pages(4))
    size = archive.stat().st_size
    half = size // 2
    with serving(served) as server:
        url = f"{server.base}/part.warc.gz"
        assert main(["backfill", "--quiet", url]) == 1   # 127.0.0.1 is not allow-listed without a sources file saying so
        assert re.fullmatch(r"kabar: step \S+ failed: cannot read http://127\.0\.0\.1:\d+/part\.warc\.gz: 127\.0\.0\.1 "
                            r"is at 127\.0\.0\.1, a loopback address \(private_address\) \(details: .*\)",
                            one_line_error(capsys))
        allow_loopback(monkeypatch, tmp_path, server.base)
        monkeypatch.setenv("KABAR_MAX_ARCHIVE_BYTES", str(half))
        assert main(["backfill", "--quiet", url]) == 1   # refused by the Content-Length it declares
        assert f"Content-Length {size} is over {half} bytes" in one_line_error(capsys)
        assert main(["backfill", "--quiet", f"{url}?unsized"]) == 1   # refused partway, records already read
        assert f"body is over {half} bytes (too_large)" in one_line_error(capsys)
        assert not list((kabar_home / "staging").glob("warc-*"))   # nothing of the cut archive was kept
        assert not (kabar_home / "warehouse.duckdb").exists()
        monkeypatch.delenv("KABAR_MAX_ARCHIVE_BYTES")
        assert main(["backfill", f"{url}?unsized"]) == 0
    assert len(articles(capsys)) == 4

"""WARC archives written by the tests, from the sample pages or by hand (never a downloaded archive)."""
from __future__ import annotations

import gzip
from datetime import datetime, UTC
from pathlib import Path

from transforms.warc import WarcWriter

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FETCHED_AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def sample_pages(count: int) -> list[tuple[str, bytes]]:
    """``count`` sample pages (not the broken ones) with made-up crawl URLs."""
    pages = sorted(p for p in SAMPLES.glob("*.html") if not p.name.startswith("broken-"))[:count]
    return [(f"https://crawl.example/{page.stem}", page.read_bytes()) for page in pages]


def write_archive(path: Path, pages: list[tuple[str, bytes]], *, extras: bool = True) -> Path:
    """An archive like CC-NEWS: a request before each response and, with ``extras``, records that are
    not documents (a redirect, an image) to be counted."""
    with path.open("wb") as handle:
        writer = WarcWriter(handle)
        for url, body in pages:
            writer.write_request(url, fetched_at=FETCHED_AT)
            writer.write_response(url, body, fetched_at=FETCHED_AT)
        if extras:
            writer.write_response("https://crawl.example/moved", b"", fetched_at=FETCHED_AT, status=301)
            writer.write_response("https://crawl.example/logo.png", b"\x89PNG\r\n", fetched_at=FETCHED_AT,
                                  content_type="image/png")
    return path


def raw_record(block: bytes, **fields: str | bytes | None) -> bytes:
    """One uncompressed WARC record written by hand, so a test can break any part of it. ``fields`` name
    WARC headers with "_" for "-" (``WARC_Target_URI=...``); None leaves one out, bytes may be any bytes.
    Defaults: an HTTP response record for https://x.example/page whose Content-Length is right."""
    fields = {"WARC_Type": "response", "WARC_Target_URI": "https://x.example/page",
              "WARC_Date": "2026-03-01T08:30:00Z", "Content_Type": "application/http; msgtype=response",
              "Content_Length": str(len(block)), **fields}
    head = b"".join(name.replace("_", "-").encode() + b": " + (value if isinstance(value, bytes) else value.encode())
                    + b"\r\n" for name, value in fields.items() if value is not None)
    return b"WARC/1.0\r\n" + head + b"\r\n" + block + b"\r\n\r\n"


def http_message(body: bytes, *, status: bytes = b"200 OK", content_type: bytes = b"text/html; charset=utf-8") -> bytes:
    return b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type + b"\r\n\r\n" + body


def gzip_members(*records: bytes) -> bytes:
    """An archive compressed the way CC-NEWS and Kabar's crawls are: each record its own gzip member."""
    return b"".join(gzip.compress(record, mtime=0) for record in records)

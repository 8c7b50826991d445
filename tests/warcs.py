"""WARC archives written by the tests from the sample pages (never a downloaded archive)."""
from __future__ import annotations

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

"""WARC archives (Common Crawl's CC-NEWS, Kabar's own crawls) as a stream of input documents.

Records are read one at a time with warcio, so memory stays bounded by one record however large
the archive. Only HTML ``response`` records with HTTP status 200 become documents, with the URL and
fetch time from the WARC headers; every other record (requests, metadata, redirects, images) is
counted, not rejected. Kabar's crawler writes its refusals (robots.txt, SSRF, size caps) as
``metadata`` records of type ``REFUSAL_CONTENT_TYPE``; they come back as rejections with their
reason. A truncated or corrupt archive keeps every record read before the damage and yields one
``warc_damaged`` rejection for the rest.
"""
from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path

from io import BytesIO
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from transforms.documents import (DEFAULT_MAX_DOCUMENT_BYTES, TOO_LARGE, UNREADABLE, WARC_SUFFIXES, InputDocument,
                                  Rejection)

WARC_DAMAGED = "warc_damaged"
REFUSAL_CONTENT_TYPE = "application/vnd.kabar.refusal+json"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class WarcCounts:
    """What an archive held besides its documents, by record type ("response 301", "request")."""

    skipped: Counter = field(default_factory=Counter)


def is_warc_path(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, counts: WarcCounts | None = None,
              max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[InputDocument]:
    """The documents of the archive at ``path``, streamed; skipped records are tallied in ``counts``.
    A page over ``max_bytes`` is read no further and rejected as too large."""
    counts = counts if counts is not None else WarcCounts()
    try:
        handle = path.open("rb")
    except OSError as error:
        yield InputDocument(f"{path}#0", None, None, Rejection(UNREADABLE, f"{type(error).__name__}: {error}"))
        return
    offset, records_read, pending = 0, 0, None
    with handle:
        try:
            records = _CheckedArchiveIterator(handle)
            for record in records:
                if pending is not None:   # held back one record: a cut-short last record must not pass
                    yield pending
                offset = records.offset   # the record's start (get_record_offset() would read it to the end)
                if record.format != "warc":   # warcio reads any text as a legacy ARC record
                    raise ValueError(f"not a WARC record ({record.format} format)")
                pending = _document(record, f"{path}#{offset}", max_bytes)
                if pending is None:
                    counts.skipped[_record_kind(record)] += 1
                records_read += 1
            if records.cut_short or not records_read:
                records_read -= bool(records_read)
                raise EOFError("the archive ends inside a record" if records.cut_short else "no WARC record found")
            if pending is not None:
                yield pending
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error, gzip.BadGzipFile) as error:
            if pending is not None and not isinstance(error, EOFError):
                yield pending   # the damage is past the last record read whole
                offset = records.offset
            yield InputDocument(f"{path}#{offset}", None, None, Rejection(
                WARC_DAMAGED, f"damaged after {records_read} whole records (at offset {offset}); those were kept "
                              f"({type(error).__name__}: {str(error)[:200]})"))


class _CheckedArchiveIterator(ArchiveIterator):
    """warcio ends quietly at a gzip member or a record cut short; this notes it before closing."""

    cut_short = False

    def close(self):
        decompressor = self.reader.decompressor if self.reader is not None else None
        if decompressor is not None and not decompressor.eof:
            self.cut_short = True   # the last gzip member never reached its end
        elif self.record is not None and getattr(self.record.raw_stream, "limit", 0) > 0:
            self.cut_short = True   # an uncompressed record shorter than its Content-Length
        super().close()


def _document(record, origin: str, max_bytes: int) -> InputDocument | None:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    fetched_at = _warc_date(headers.get_header("WARC-Date"))
    if record.rec_type == "metadata" and headers.get_header("Content-Type") == REFUSAL_CONTENT_TYPE:
        refusal = json.loads(record.content_stream().read(65536) or b"{}")
        return InputDocument(origin, url, fetched_at, Rejection(str(refusal.get("reason", "refused")),
                                                               str(refusal.get("detail", ""))))
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = _media_type(record)
    if content_type and content_type not in _HTML_TYPES:
        return None
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return InputDocument(origin, url, fetched_at, Rejection(TOO_LARGE, f"over the size cap of {max_bytes} bytes"))
    return InputDocument(origin, url, fetched_at, data)


def _record_kind(record) -> str:
    """"request", "response 301", "response 200 image/png": what the archive held instead of a page."""
    if record.rec_type != "response" or record.http_headers is None:
        return record.rec_type
    status = record.http_headers.get_statuscode()
    return f"response {status} {_media_type(record)}" if status == "200" else f"response {status}"


def _media_type(record) -> str:
    """The HTTP response's media type ("text/html"), without parameters; "" when not given."""
    return (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()


def _warc_date(value: str | None) -> datetime | None:
    """WARC-Date is ISO 8601 in UTC ("2016-10-01T12:00:00Z", maybe with fractions)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class WarcWriter:
    """Appends gzip-compressed records to an archive: Kabar's crawls store what they fetched (and
    what they refused) this way, and tests and the bench build archives with it."""

    def __init__(self, handle: BinaryIO):
        self._writer = WARCWriter(handle, gzip=True)

    def write_response(self, url: str, body: bytes, *, fetched_at: datetime, status: int = 200,
                       content_type: str = "text/html; charset=utf-8") -> None:
        http = StatusAndHeaders(f"{status} {'OK' if status == 200 else 'Status'}",
                                [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                                protocol="HTTP/1.1")
        self._write("response", url, body, fetched_at, http_headers=http)

    def write_refusal(self, url: str, reason: str, detail: str, *, fetched_at: datetime) -> None:
        body = json.dumps({"reason": reason, "detail": detail}).encode()
        self._write("metadata", url, body, fetched_at, warc_content_type=REFUSAL_CONTENT_TYPE)

    def write_request(self, url: str, *, fetched_at: datetime) -> None:
        self._write("request", url, f"GET {url} HTTP/1.1\r\n\r\n".encode(), fetched_at,
                    warc_content_type="application/http; msgtype=request")

    def _write(self, kind: str, url: str, body: bytes, fetched_at: datetime, **options) -> None:
        if any(ord(char) < 0x21 or ord(char) == 0x7f for char in url):   # a line break would forge a header
            raise ValueError(f"a WARC-Target-URI cannot hold whitespace or control characters: {url!r}")
        date = fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        record = self._writer.create_warc_record(url, kind, payload=BytesIO(body), length=len(body),
                                                 warc_headers_dict={"WARC-Date": date}, **options)
        self._writer.write_record(record)

"""WARC archives (Common Crawl's CC-NEWS, Kabar's own crawls) as a stream of input documents.

Records are read one at a time with warcio's parts (gzip members, header parsing, HTTP content
decoding), so memory stays bounded by one record however large the archive, and no archive makes
``read_warc`` raise. Only HTML ``response`` records with HTTP status 200 become documents, with the
URL and fetch time from the WARC headers; every other record (requests, metadata, redirects, images)
is counted, not rejected. Kabar's crawler writes its refusals (robots.txt, SSRF, size caps) as
``metadata`` records of type ``REFUSAL_CONTENT_TYPE``; they come back as rejections with their
reason, and one whose body is not ``{"reason": name, "detail": text}`` as a ``refused`` rejection
that says what is wrong with it.

Damage is told apart from a bad record:

* The archive's structure (record headers, lengths, gzip members) is damaged when a header is cut
  or is not a WARC header, a block is cut, a gzip member is corrupt or cut, or the file holds no
  record at all. Every record read whole before the damage is kept and one ``warc_damaged``
  rejection stands for the rest, since nothing after it can be located.
* Whatever fails while interpreting one record's headers and content is that record's rejection
  (``unreadable``, naming the record by its origin) and reading goes on; odd values that have a
  meaning are read for it instead (a WARC-Date that is no date gives ``fetched_at`` None, a status
  that is no number a skipped "response OK"). So is, in a gzip archive, a record whose
  Content-Length is missing, not a number or disagrees with its gzip member: each record is its own
  member there, so the next record is found anyway. In an uncompressed archive the Content-Length
  is the only way to the next record, so a bad one is damage.

A record without ``WARC-Target-URI`` is read like any other, with ``url`` None: its block is taken
for an HTTP message when its WARC Content-Type says ``application/http`` (a record with a target URI:
when that URI is http or https, as warcio does), so an HTML 200 response becomes a document and a
block without HTTP headers is counted as a ``response``. A malformed target URI is passed on as it
is. Header bytes that are not UTF-8 are read as Latin-1 (as warcio does), so every string is valid.

With ``hosts``, a record whose WARC-Target-URI host is none of them nor a subdomain of one (or that has
no target URI) is counted as ``OUTSIDE_HOSTS`` before anything of its block is read or interpreted.

An archive can also come as an open stream (``read_warc_stream``: a download, an object store's body);
a failure of the stream itself (``ArchiveUnavailable``: refused, cut off, over a cap) is not damage to
the archive and is raised for the caller to report, so a run never keeps half of what it could not read.

``origin`` is ``<archive>#<offset of the record>``; in a gzip archive the offset is that of the
record's member, and a record sharing a member with the ones before it (an archive gzipped as a
whole) is ``<member offset>+<its index in the member>``.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, UTC
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import BUFF_SIZE
from warcio.warcwriter import WARCWriter

from transforms.documents import (DEFAULT_MAX_DOCUMENT_BYTES, TOO_LARGE, UNREADABLE, WARC_SUFFIXES, InputDocument,
                                  Rejection, display_path)
from transforms.encoding import encodable

WARC_DAMAGED = "warc_damaged"
REFUSED = "refused"
REFUSAL_CONTENT_TYPE = "application/vnd.kabar.refusal+json"
OUTSIDE_HOSTS = "other host (--host)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_WARC_VERSIONS = {version.encode() for version in ArcWarcRecordLoader.WARC_TYPES}
_WARC_HEADERS = StatusAndHeadersParser(ArcWarcRecordLoader.WARC_TYPES)
_HTTP_HEADERS = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, verify=False)
_MAX_HEAD_BYTES = 256 * 1024     # a header block longer than this is not one (real ones are a few KB)
_MAX_REFUSAL_BYTES = 65536
_MAX_LENGTH_DIGITS = 18          # an exabyte; longer "numbers" would only make int() refuse
_REASON = re.compile(r"[a-z][a-z0-9_]{0,63}")
_LABEL_CHARS = 60                # a skipped-record kind is a tally key, not a place for a whole header


@dataclass
class WarcCounts:
    """What an archive held besides its documents, by record type ("response 301", "request")."""

    skipped: Counter = field(default_factory=Counter)


def is_warc_path(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


class ArchiveUnavailable(Exception):
    """The stream an archive is read from failed (refused, cut off, over a cap): raised through
    ``read_warc_stream`` as it is, never taken for damage to the archive."""


def read_warc(path: Path, counts: WarcCounts | None = None, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
              hosts: tuple[str, ...] = ()) -> Iterator[InputDocument]:
    """The documents of the archive at ``path``, streamed; skipped records are tallied in ``counts``.
    A page over ``max_bytes`` is read no further and rejected as too large. Never raises: a record
    that cannot be read is its own rejection, damage to the archive one ``warc_damaged`` at the end."""
    name = display_path(path)   # origins must be printable and encodable, whatever bytes the file name holds
    try:
        handle = path.open("rb")
    except OSError as error:
        yield InputDocument(f"{name}#0", None, None, Rejection(UNREADABLE, f"{type(error).__name__}: {error.strerror}"))
        return
    with handle:
        yield from read_warc_stream(handle, name, counts, max_bytes, hosts)


def read_warc_stream(handle: BinaryIO, name: str, counts: WarcCounts | None = None,
                     max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES, hosts: tuple[str, ...] = ()) -> Iterator[InputDocument]:
    """``read_warc`` for an archive open as ``handle`` (``read`` and ``tell``, never ``seek``), its
    origins named ``name``; raises only the handle's ``ArchiveUnavailable``."""
    counts = counts if counts is not None else WarcCounts()
    archive = _Archive(handle)
    try:
        while (record := archive.next_record()) is not None:
            origin = f"{name}#{record.position}"
            if record.problem:
                found = None
            elif hosts and not _of_hosts(_target_uri(record.headers), hosts):
                found = OUTSIDE_HOSTS
            else:
                found = _interpret_safely(record, origin, max_bytes)
            problem = archive.finish(record)
            if problem:
                yield _located(record, origin, Rejection(UNREADABLE, f"WARC record {problem}"))
            elif isinstance(found, str):
                counts.skipped[found] += 1
            else:
                yield found
        if not archive.records_read:
            raise _Damage("no WARC record found")
    except ArchiveUnavailable:
        raise
    except Exception as error:   # whatever warcio or zlib raise reading the structure: damage, never a traceback
        what = str(error) if isinstance(error, _Damage) else f"{type(error).__name__}: {error}"
        yield InputDocument(f"{name}#{archive.position}", None, None, Rejection(WARC_DAMAGED, encodable(
            f"damaged after {archive.records_read} whole records (at offset {archive.position}); those were "
            f"kept ({what[:200]})")))


def _of_hosts(uri: str | None, hosts: tuple[str, ...]) -> bool:
    """Whether ``uri``'s host is one of ``hosts`` (lower-case names) or a subdomain of one."""
    try:
        host = (urlsplit(uri).hostname or "").rstrip(".") if uri else ""
    except ValueError:   # a malformed URI has no host to match
        return False
    return bool(host) and any(host == wanted or host.endswith(f".{wanted}") for wanted in hosts)


class _Damage(Exception):
    """The archive's structure is broken here, so no record after this point can be located."""


@dataclass
class _Record:
    """One record's WARC headers and its block, read no further than its Content-Length."""

    position: str
    headers: StatusAndHeaders
    block: LimitReader
    problem: str | None = None   # why this record alone is unusable, found before reading its block


class _Archive:
    """The records of an archive in order, read strictly: what warcio's ArchiveIterator would end on
    quietly (a cut header or block, a corrupt gzip member) or raise from deep inside (a record
    without a target URI) is damage here, told apart from a record that is bad on its own."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self._reader = _StrictReader(handle)
        self._member_offset = 0
        self._member_records = 0     # records read so far from the current gzip member
        self._pending: bytes | None = None   # the first line of the next record, read while finishing one
        self.position = "0"          # where the record being read starts
        self.records_read = 0

    def next_record(self) -> _Record | None:
        first = self._pending if self._pending is not None else self._start_line()
        self._pending = None
        if not first:
            return None
        if first.strip() not in _WARC_VERSIONS:
            raise _Damage(f"not a WARC record; it begins {first[:60]!r}")
        head = _head(self._reader, first)
        if head is None:
            raise _Damage("the archive ends inside a record header (or the header never ends)")
        headers = _WARC_HEADERS.parse(BytesIO(head))
        self._member_records += 1
        length = _content_length(headers)
        if length is not None:
            return _Record(self.position, headers, LimitReader(_ArchiveStream(self._reader), length))
        declared = (headers.get_header("Content-Length") or "")[:40]
        if self._reader.decompressor is None:
            raise _Damage(f"a record has no usable Content-Length ({declared!r}), so the next cannot be found")
        return _Record(self.position, headers, LimitReader(self._reader, 0),
                       f"has no usable Content-Length ({declared!r})")

    def finish(self, record: _Record) -> str | None:
        """Reads what is left of ``record`` and the blank lines after it. None when the record was whole;
        why not when the fault stays inside its gzip member (whose rest is then passed over); raises
        ``_Damage`` when it does not."""
        problem = record.problem or self._drain(record.block)
        if problem is None:
            line = self._line_after_blanks()
            if not line or line.strip() in _WARC_VERSIONS:
                self._pending = line or None
            elif self._reader.decompressor is None:
                raise _Damage(f"the record at offset {record.position} is followed by bytes that are not a record "
                              f"(its Content-Length is too small?): {line[:60]!r}")
            else:
                problem = "is followed by bytes that are not a record in its gzip member (Content-Length too small?)"
        if problem is not None:
            while self._reader.read(BUFF_SIZE):   # to the end of the member: the next record starts there
                pass
        self.records_read += 1
        return problem

    def _drain(self, block: LimitReader) -> str | None:
        while block.read(BUFF_SIZE):
            pass
        if not block.limit:
            return None
        decompressor = self._reader.decompressor
        if decompressor is not None and decompressor.eof:
            return f"is {block.limit} bytes shorter than its Content-Length (its gzip member ends first)"
        raise _Damage(f"the archive ends inside a record, {block.limit} bytes short of its Content-Length")

    def _start_line(self) -> bytes:
        """The first line of the next record, across gzip members; b"" at the end of the archive."""
        while not (line := self._line_after_blanks()):
            if not self._next_member():
                return b""
        return line

    def _line_after_blanks(self) -> bytes:
        """The next line that is not blank in this gzip member (or uncompressed stream); b"" at its end."""
        while (line := self._reader.readline(_MAX_HEAD_BYTES)) and not line.strip():
            pass
        if line:
            self._note_position(line)
        return line

    def _next_member(self) -> bool:
        decompressor = self._reader.decompressor
        if decompressor is None:
            return False
        if not decompressor.eof and self._handle.tell() > self._member_offset:
            raise _Damage("the archive ends inside a gzip member")
        self._member_offset = self._handle.tell() - self._reader.rem_length()
        self._member_records = 0
        return self._reader.read_next_member()

    def _note_position(self, line: bytes) -> None:
        if self._reader.decompressor is None:
            self.position = str(self._handle.tell() - self._reader.rem_length() - len(line))
        elif self._member_records:
            self.position = f"{self._member_offset}+{self._member_records}"
        else:
            self.position = str(self._member_offset)


class _StrictReader(DecompressingBufferedReader):
    """warcio's reader, except that a gzip member found corrupt once it has given some bytes raises:
    warcio writes the error to stderr and goes on as if the member had ended, reading the rest of the
    file block by block into the failing decompressor."""

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor is not None and data and self.num_block_read:
            return self.decompressor.decompress(data)
        return super()._decompress(data)   # a first block that is not gzip: an uncompressed archive


class _ArchiveStream:
    """The archive's bytes as a record's block reads them: a failure here is damage to the archive, which
    interpreting the record (HTTP parsing and decoding, on top of this) must not take for its own."""

    def __init__(self, reader: _StrictReader):
        self._reader = reader

    def read(self, size: int | None = None) -> bytes:
        return self._guarded(self._reader.read, size)

    def readline(self, size: int | None = None) -> bytes:
        return self._guarded(self._reader.readline, size)

    @staticmethod
    def _guarded(read, size: int | None) -> bytes:
        try:
            return read(size)
        except ArchiveUnavailable:
            raise
        except Exception as error:
            raise _Damage(f"{type(error).__name__}: {error}") from error


def _head(stream, first: bytes) -> bytes | None:
    """A header block from its first line through the blank line that ends it; None when the stream ends
    first or the block grows past ``_MAX_HEAD_BYTES`` (a binary blob has no line ends to stop at)."""
    lines, size, line = [], 0, first
    while line.strip():
        lines.append(line)
        size += len(line)
        if size > _MAX_HEAD_BYTES:
            return None
        line = stream.readline(_MAX_HEAD_BYTES)
        if not line:
            return None
    return b"".join(lines) + line


def _content_length(headers: StatusAndHeaders) -> int | None:
    value = (headers.get_header("Content-Length") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= _MAX_LENGTH_DIGITS else None


def _interpret_safely(record: _Record, origin: str, max_bytes: int) -> InputDocument | str:
    """``_interpret``, with whatever interpreting one record raises made that record's rejection."""
    try:
        return _interpret(record, origin, max_bytes)
    except (_Damage, ArchiveUnavailable):
        raise
    except Exception as error:
        return _located(record, origin, Rejection(UNREADABLE, encodable(f"WARC record could not be interpreted "
                                                                    f"({type(error).__name__}: {str(error)[:200]})")))


def _interpret(record: _Record, origin: str, max_bytes: int) -> InputDocument | str:
    """The record's document (or rejection), or, for a record that holds no page, the kind of record it
    is: "request", "response 301", "response 200 image/png"."""
    headers = record.headers
    kind = headers.get_header("WARC-Type") or "untyped"
    if kind == "metadata" and _media_type(headers) == REFUSAL_CONTENT_TYPE:
        return _located(record, origin, _refusal(record.block.read(_MAX_REFUSAL_BYTES)))
    if kind != "response":
        return _label(kind)
    http = _http_head(record)
    if http is None:
        return kind
    status = http.get_statuscode()
    if status != "200":
        return _label(f"response {status}")
    media_type = _media_type(http)
    if media_type not in ("", *_HTML_TYPES):
        return _label(f"response 200 {media_type}")
    content = ArcWarcRecord("warc", kind, headers, record.block, http, None, record.block.limit).content_stream()
    data = content.read(max_bytes + 1)
    if len(data) > max_bytes:
        return _located(record, origin, Rejection(TOO_LARGE, f"over the size cap of {max_bytes} bytes"))
    return _located(record, origin, data)


def _http_head(record: _Record) -> StatusAndHeaders | None:
    """The HTTP status and headers at the start of the block, when it holds an HTTP message."""
    uri = _target_uri(record.headers)
    says_http = (_media_type(record.headers) == "application/http" if uri is None
                 else uri.startswith(("http:", "https:")))
    first = record.block.readline(_MAX_HEAD_BYTES) if says_http else b""
    head = _head(record.block, first) if first.strip() else None
    return _HTTP_HEADERS.parse(BytesIO(head)) if head else None


def _refusal(body: bytes) -> Rejection:
    """The crawler's ``{"reason", "detail"}``; a body that is not one still stands for a refused URL."""
    try:
        refusal = json.loads(body)
    except (ValueError, RecursionError) as error:   # not JSON, not UTF-8, or nested past the parser's depth
        return Rejection(REFUSED, encodable(f"unreadable refusal record ({type(error).__name__}: {str(error)[:200]})"))
    if not isinstance(refusal, dict):
        return Rejection(REFUSED, f"unreadable refusal record (a JSON {type(refusal).__name__}, not an object)")
    reason, detail = refusal.get("reason", REFUSED), refusal.get("detail", "")
    if not isinstance(reason, str) or not _REASON.fullmatch(reason) or not isinstance(detail, str):
        return Rejection(REFUSED, encodable(f"unreadable refusal record (reason {reason!r:.80}, detail {detail!r:.200})"))
    return Rejection(reason, encodable(detail))


def _located(record: _Record, origin: str, data: bytes | Rejection) -> InputDocument:
    headers = record.headers
    return InputDocument(origin, _target_uri(headers), _warc_date(headers.get_header("WARC-Date")), data)


def _target_uri(headers: StatusAndHeaders) -> str | None:
    """WARC-Target-URI, without the angle brackets Wget 1.19 wrote around it and with spaces %-encoded
    (as warcio does); anything else, a malformed URI included, as it is."""
    uri = headers.get_header("WARC-Target-URI") or ""
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1]
    return uri.replace(" ", "%20") or None


def _media_type(headers: StatusAndHeaders) -> str:
    """The media type of a Content-Type header ("text/html"), without parameters; "" when not given."""
    return (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()


def _label(kind: str) -> str:
    return kind[:_LABEL_CHARS]


def _warc_date(value: str | None) -> datetime | None:
    """WARC-Date is ISO 8601 in UTC ("2016-10-01T12:00:00Z", maybe with fractions); None when it is not."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):   # not a date, or a year 1 / 9999 that UTC cannot hold
        return None


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

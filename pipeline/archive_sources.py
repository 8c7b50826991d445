"""Where a backfill's archives come from: a local file, an ``http(s)://`` URL or an ``s3://bucket/key``
object, each read as a stream, one piece at a time (an archive is never held whole in memory nor
written to disk); and CC-NEWS listings (``warc.paths.gz``) that name archives by the thousand.

Over HTTP the crawler's fetcher streams the archive (``Fetcher.stream``), so the address, scheme and
redirect checks of a crawl hold, with the allow-list, user agent and timeout of the sources file's
``[crawler]`` table when there is one (``KABAR_SOURCES``), and the archive cap ``KABAR_MAX_ARCHIVE_BYTES``.
Every failure to read is an ``ArchiveUnavailable`` with one line for the user.
"""
from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from crawl.crawler import fetch_policy
from crawl.fetcher import Fetcher, FetchPolicy, StreamRefused
from crawl.outlets import load_outlets
from pipeline.config import REMOTE_SCHEMES, Config
from transforms.warc import ArchiveUnavailable
from warehouse.storage import S3Bucket, StorageError

LISTING_SUFFIX = ".paths.gz"
_MAX_LISTING_LINE = 4096   # a listed path is ~80 characters; a longer line means this is no listing
# The month of a CC-NEWS path: its year/month folders, else the time stamp in its file name.
_MONTH_FOLDERS = re.compile(r"(?:^|/)(\d{4})/(\d{2})/")
_MONTH_STAMP = re.compile(r"-(\d{4})(\d{2})\d{8}-\d+\.warc(?:\.gz)?$")
_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")


def is_remote(location: str) -> bool:
    return location.lower().startswith(REMOTE_SCHEMES)


def is_listing(location: str) -> bool:
    return location.lower().endswith(LISTING_SUFFIX)


def archive_policy(config: Config) -> FetchPolicy:
    """The fetcher's policy for archives: the sources file's ``[crawler]`` table, if any, and the archive cap."""
    policy = fetch_policy(load_outlets(config.sources)) if config.sources else FetchPolicy()
    return replace(policy, max_archive_bytes=config.max_archive_bytes)


@contextmanager
def open_location(config: Config, location: str) -> Iterator[BinaryIO]:
    """``location``'s bytes as a binary stream with ``read`` and ``tell`` (no ``seek``)."""
    if not is_remote(location):
        try:
            handle = Path(location).open("rb")
        except OSError as error:
            raise ArchiveUnavailable(f"cannot read {location}: {error.strerror}") from None
        with handle:
            yield handle
    elif location.lower().startswith("s3://"):
        bucket, _, key = location[len("s3://"):].partition("/")
        yield _PieceStream(_reported(S3Bucket(bucket, endpoint_url=config.s3_endpoint).stream(key)))
    else:
        with Fetcher(archive_policy(config)) as fetcher, ExitStack() as response:
            try:
                pieces = response.enter_context(fetcher.stream(location))
            except StreamRefused as error:
                raise _unavailable(error) from None
            yield _PieceStream(_reported(pieces))


def listed_archives(config: Config, listing: str, month: str | None = None) -> list[str]:
    """The archives a CC-NEWS listing names (each path joined to ``config.cc_base_url``), only those
    of ``month`` (``YYYY-MM``) when given."""
    base = config.cc_base_url.rstrip("/")
    with open_location(config, listing) as stream:
        paths = _listed_paths(gzip.GzipFile(fileobj=stream, mode="rb"), listing)
    return [f"{base}/{path.lstrip('/')}" for path in paths if month is None or path_month(path) == month]


def path_month(path: str) -> str | None:
    """``YYYY-MM`` of a CC-NEWS archive path, from its folders or its file name's time stamp."""
    found = _MONTH_FOLDERS.search(path) or _MONTH_STAMP.search(path)
    return f"{found[1]}-{found[2]}" if found else None


def _listed_paths(lines: gzip.GzipFile, listing: str) -> list[str]:
    paths = []
    try:
        while line := lines.readline(_MAX_LISTING_LINE):
            if len(line) >= _MAX_LISTING_LINE:
                raise ArchiveUnavailable(f"{listing}: a line of over {_MAX_LISTING_LINE} bytes; not a listing of paths")
            if path := line.decode("utf-8").strip():
                paths.append(path)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:   # BadGzipFile is an OSError
        raise ArchiveUnavailable(f"{listing}: not a gzip listing of archive paths ({error})") from None
    return paths


def _reported(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """``pieces``, with a refusal or storage failure partway through made an ``ArchiveUnavailable``."""
    try:
        yield from pieces
    except StreamRefused as error:
        raise _unavailable(error) from None
    except StorageError as error:
        raise ArchiveUnavailable(f"cannot read {error}") from None


def _unavailable(error: StreamRefused) -> ArchiveUnavailable:
    refusal = error.refusal
    return ArchiveUnavailable(f"cannot read {refusal.url}: {refusal.detail} ({refusal.reason})")


class _PieceStream(io.RawIOBase):
    """Byte pieces as a binary stream that holds one piece at a time; ``tell`` counts the bytes read."""

    def __init__(self, pieces: Iterator[bytes]):
        super().__init__()
        self._pieces = pieces
        self._piece = memoryview(b"")
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._piece:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._piece = memoryview(piece)
        size = min(len(buffer), len(self._piece))
        buffer[:size] = self._piece[:size]
        self._piece = self._piece[size:]
        self._position += size
        return size

    def tell(self) -> int:
        return self._position


def month_filter(text: str) -> str:
    """``--month`` checked: ``YYYY-MM``; ``ValueError`` saying so otherwise."""
    if not _MONTH.fullmatch(text):
        raise ValueError(f"--month must be a year and month as YYYY-MM (such as 2024-01), not {text!r}")
    return text


def host_filter(text: str) -> str:
    """``--host`` as the lower-case ASCII name records are matched against; ``ValueError`` for
    anything that is not a host name (a URL, a path)."""
    try:
        host = text.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        host = ""
    if not _HOST.fullmatch(host):
        raise ValueError(f"--host takes a host name such as example.com, not {text!r}")
    return host

"""Raw input documents: read, identify, sniff and decode, before any extraction.

Every input ends either as a decoded HTML string or as a ``Rejection`` with one of a fixed set of
reasons, so a bad file becomes a row in ``rejects`` instead of a traceback.
"""
from __future__ import annotations

import codecs
import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from charset_normalizer import from_bytes

from transforms.identity import sha256_hex

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
INPUT_SUFFIXES = HTML_SUFFIXES + WARC_SUFFIXES
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Reasons a document is rejected before extraction.
EMPTY = "empty"
NOT_HTML = "not_html"
TOO_LARGE = "too_large"
UNREADABLE = "unreadable"
NO_TEXT = "no_text"

_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_HTML_MARKERS = re.compile(rb"<\s*(!doctype\s+html|html|head|body|article|div|p|title|meta|main|section|h1)\b", re.I)
_BINARY_CONTROL = bytes([*range(0, 9), 11, *range(14, 32)])


@dataclass(frozen=True)
class Rejection:
    """Why a document cannot become an article."""

    reason: str
    detail: str


@dataclass(frozen=True)
class InputDocument:
    """One input document from wherever it came: a file, a WARC record, a crawl."""

    origin: str                  # a path, or "<archive path>#<record offset>"
    url: str | None
    fetched_at: datetime | None
    data: bytes | Rejection


def is_input_path(path: Path) -> bool:
    """True for the file names ``kabar run`` ingests: pages and WARC archives."""
    return path.name.lower().endswith(INPUT_SUFFIXES)


def read_document_bytes(path: Path, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> bytes | Rejection:
    """The document's bytes, gunzipped when the name ends in ``.gz``, reading at most
    ``max_bytes + 1`` decompressed bytes so a gzip bomb cannot exhaust memory."""
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        return Rejection(UNREADABLE, f"{type(error).__name__}: {error}")
    return data


def document_id(data: bytes) -> str:
    """A document's identity: SHA-256 of its (decompressed) bytes."""
    return sha256_hex(data)


def sniff(data: bytes, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Rejection | None:
    """Reject what is obviously not a news page before spending time parsing it."""
    if not data.strip():
        return Rejection(EMPTY, "the file has no content")
    if len(data) > max_bytes:
        return Rejection(TOO_LARGE, f"over the size cap of {max_bytes} bytes")
    head = data[:_SNIFF_BYTES]
    if not _is_probably_text(head):
        return Rejection(NOT_HTML, "binary content (control bytes in the first 8 KB)")
    if not _HTML_MARKERS.search(head) and not _HTML_MARKERS.search(data[:262144]):
        return Rejection(NOT_HTML, "no HTML markup found")
    return None


def _is_probably_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    controls = len(head) - len(head.translate(None, _BINARY_CONTROL))
    return controls <= len(head) // 100


def decode_html(data: bytes) -> str:
    """Decode page bytes: BOM, then the declared ``<meta charset>``, then UTF-8, then detection.

    A declared legacy charset (windows-1251, latin-1) wins over guessing; a wrong declaration
    that cannot decode falls through to UTF-8 and detection rather than producing mojibake.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _declared_charset(data[:_SNIFF_BYTES])
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(data[:262144]).best()
    encoding = best.encoding if best else "utf-8"
    return data.decode(encoding, errors="replace")


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    # Browsers read a latin-1 declaration as windows-1252 (HTML standard); so do we.
    return "cp1252" if canonical in ("latin-1", "iso8859-1", "ascii") else canonical


class InputPathError(ValueError):
    """A path given on the command line does not exist."""


def discover_inputs(paths: list[Path]) -> list[Path]:
    """The HTML files and WARC archives under ``paths`` (files as given, folders recursively), in a
    stable order."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputPathError(f"no such file or folder: {path}")
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_input_path(p)))
        else:
            found.append(path)
    return found

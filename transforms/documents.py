"""Raw input documents: find, read, identify and sniff (decoding: ``transforms.encoding``), before extraction.

Every input ends either as a decoded HTML string or as a ``Rejection`` with one of a fixed set of
reasons, so a bad file becomes a row in ``rejects`` instead of a traceback; what is not a regular file
(a named pipe, a broken link) becomes a notice of ``find_inputs`` and is never opened.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from transforms.encoding import decode_html as decode_html   # re-exported: callers import it from here
from transforms.encoding import UnicodeForm, unicode_form
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
_MARKUP_SEARCH_BYTES = 262144
_HTML_MARKERS = re.compile(rb"<\s*(!doctype\s+html|html|head|body|article|div|p|title|meta|main|section|h1)\b", re.I)
_BLANK = b" \t\n\r\x0b\x0c\x00"
# Control characters no text file holds (tab, line breaks, form feed and ISO-2022's escape excepted).
_CONTROLS = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])
# A few stray control bytes are allowed whatever the page's length.
_FEW_CONTROLS = 4
_CONTROL_ESCAPES = {code: f"\\x{code:02x}" for code in (*range(32), 127)}
_SPECIAL_FILES = {stat.S_IFIFO: "named pipe", stat.S_IFSOCK: "socket", stat.S_IFCHR: "character device",
                  stat.S_IFBLK: "block device"}
_BROKEN_LINKS = ("dangling symbolic link", "symbolic link loop")
_READ_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
# Formats by their first bytes, so a binary file's rejection says what it is.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "zip archive"),
    (_GZIP_MAGIC, "gzip-compressed data"), (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"), (b"(\xb5/\xfd", "zstd data"), (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"), (b"\x7fELF", "executable"),
    (b"wOFF", "web font"), (b"wOF2", "web font"), (b"OggS", "Ogg media"), (b"SQLite format 3\x00", "SQLite database"),
)


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
    """The document's bytes, gunzipped when the name ends in ``.gz``, reading at most ``max_bytes + 1``
    decompressed bytes so a gzip bomb cannot exhaust memory. Never raises: any failure is ``unreadable``.
    A path that is not a regular file is never opened (a named pipe would block the run); the open is
    non-blocking and what was opened is checked again, so a file swapped for a pipe after the first
    check cannot block it nor slip through either."""
    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind != "regular file":
            return Rejection(UNREADABLE, f"not a regular file: {kind}")
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            kind = _file_kind(os.fstat(handle.fileno()).st_mode)
            if kind != "regular file":
                return Rejection(UNREADABLE, f"not a regular file: {kind}")
            if path.name.lower().endswith(".gz"):
                return _gunzip(handle, max_bytes + 1)
            return _read_bounded(handle, max_bytes)
    except (OSError, ValueError, zlib.error) as error:
        return Rejection(UNREADABLE, f"{type(error).__name__}: {_error_text(error)}")


def _read_bounded(handle: BinaryIO, max_bytes: int) -> bytes:
    """Up to ``max_bytes + 1`` bytes, reading what the file holds: a read sized by the bound alone set
    aside 10 MB for each page (0.2 s per 1,000 pages); a file that grew since is read on, still bounded."""
    size = os.fstat(handle.fileno()).st_size
    data = handle.read(min(size, max_bytes) + 1)
    if size < len(data) <= max_bytes:
        data += handle.read(max_bytes + 1 - len(data))
    return data


def _gunzip(handle: BinaryIO, limit: int) -> bytes | Rejection:
    """Every gzip member in ``handle``, decompressed, up to ``limit`` bytes.

    Bytes after the last complete member that do not start another member are ignored, as gzip(1) does
    ("trailing garbage ignored"): padding, or junk a transfer appended. A member cut short rejects the page,
    as a cut-short WARC record does: a page whose end is missing would pass for a short article."""
    output = bytearray()
    pending = handle.read(_READ_CHUNK)
    members = 0
    while len(output) < limit:
        if len(pending) < len(_GZIP_MAGIC):
            pending += handle.read(_READ_CHUNK)
        if not pending.startswith(_GZIP_MAGIC):
            if members or not pending:
                break
            return Rejection(UNREADABLE, "not gzip data, though the file name ends in .gz")
        decompressor = zlib.decompressobj(wbits=31)   # 31: a gzip header and trailer, checked
        while not decompressor.eof and len(output) < limit:
            if not pending:
                pending = handle.read(_READ_CHUNK)
                if not pending:
                    return Rejection(UNREADABLE, f"the gzip data is cut short after {len(output)} bytes")
            output += decompressor.decompress(pending, limit - len(output))
            pending = decompressor.unused_data if decompressor.eof else decompressor.unconsumed_tail
        members += 1
    return bytes(output)


def document_id(data: bytes) -> str:
    """A document's identity: SHA-256 of its (decompressed) bytes."""
    return sha256_hex(data)


def sniff(data: bytes, max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Rejection | None:
    """Reject what is obviously not a news page before spending time decoding and parsing it.

    UTF-16/32 pages are looked at as the text they are. A few stray control bytes (a NUL pasted into a
    page) do not make a page binary; binary formats hold far more (random bytes: 10%)."""
    form = unicode_form(data)
    if not data[form.start if form else 0:].strip(_BLANK):
        return Rejection(EMPTY, "the file has no content")
    if len(data) > max_bytes:
        return Rejection(TOO_LARGE, f"over the size cap of {max_bytes} bytes")
    kind = next((kind for signature, kind in _SIGNATURES if data.startswith(signature)), None)
    if kind is not None:
        return Rejection(NOT_HTML, f"binary content: {kind}")
    head = _ascii_view(data, form, _SNIFF_BYTES)
    controls = len(head) - len(head.translate(None, _CONTROLS))
    if controls > max(_FEW_CONTROLS, len(head) // 100):
        return Rejection(NOT_HTML, f"binary content: {controls} control bytes in the first {len(head)} bytes")
    if not _HTML_MARKERS.search(head) and not _HTML_MARKERS.search(_ascii_view(data, form, _MARKUP_SEARCH_BYTES)):
        return Rejection(NOT_HTML, "no HTML markup found")
    return None


def _ascii_view(data: bytes, form: UnicodeForm | None, size: int) -> bytes:
    """The first ``size`` bytes, where ASCII markup and control bytes read as in ASCII: the bytes themselves
    for an ASCII-compatible encoding; for UTF-16/32 (or a page with a mark), the text re-encoded as UTF-8."""
    if form is None:
        return data[:size]
    return data[form.start:size].decode(form.encoding, errors="replace").encode("utf-8")


def display_path(path: str | bytes | os.PathLike) -> str:
    """A path as printable text that any encoder accepts, for a document's ``origin`` and for notices:
    bytes that are not UTF-8 (Python holds them as lone surrogates, b'caf\\xe9' as 'caf\\udce9', which
    polars and DuckDB refuse) and control characters are shown as ``\\xe9``-style escapes."""
    try:
        text = os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:   # a string no file system gave: a lone surrogate outside surrogateescape's
        text = os.fsdecode(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return text.translate(_CONTROL_ESCAPES)


def _error_text(error: BaseException) -> str:
    """An exception's message, printable (an OSError names the path, which may hold undecodable bytes)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return display_path(str(error))


class InputPathError(ValueError):
    """A path given on the command line does not exist."""


@dataclass(frozen=True)
class Discovered:
    """The input files found, and what was passed over: ``(display path, reason)`` pairs."""

    files: list[Path]
    skipped: list[tuple[str, str]]


def find_inputs(paths: list[Path]) -> Discovered:
    """The HTML files and WARC archives under ``paths`` (files as given, folders recursively), in a
    stable order, and a notice for everything passed over that might have been an input.

    Nothing but a regular file is ever opened. Noticed: a named pipe, socket or device named like an
    input; a dangling symbolic link or a symbolic link loop, wherever it is (what it pointed to is
    unknown); a folder that cannot be listed; a folder named like a page (its files are still read); and a
    symbolic link to a folder inside a folder, which is not followed, so no link can make the walk endless
    or lead it out over the whole disk (a folder given by a link on the command line is followed). Python's
    ``Path.rglob`` (3.11) skips linked folders too, but silently, and hides unreadable folders.
    Raises ``InputPathError`` for a path given that does not exist at all."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        kind = _path_kind(path)
        if kind == "missing":
            raise InputPathError(f"no such file or folder: {display_path(path)}")
        if kind == "folder":
            found, passed = _walk(path)
            files += sorted(found)
            skipped += sorted(passed)
        elif kind == "regular file":
            files.append(path)
        else:
            skipped.append((display_path(path), kind))
    return Discovered(files, skipped)


def discover_inputs(paths: list[Path]) -> list[Path]:
    """The input files of ``find_inputs``, for callers that do not report what was passed over."""
    return find_inputs(paths).files


def _walk(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Input files and notices under ``folder``, walked with a stack (no recursion limit on depth)."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    folders = [folder]
    while folders:
        current = folders.pop()
        try:
            entries = [current / name for name in os.listdir(current)]
        except OSError as error:
            skipped.append((display_path(current), f"folder cannot be listed: {_error_text(error)}"))
            continue
        for entry in entries:
            kind = _path_kind(entry)
            if kind == "folder" and not entry.is_symlink():
                folders.append(entry)
            elif kind == "regular file" and is_input_path(entry):
                files.append(entry)
            notice = _notice(entry, kind)
            if notice:
                skipped.append((display_path(entry), notice))
    return files, skipped


def _notice(entry: Path, kind: str) -> str | None:
    """Why an entry met in a folder walk is passed over, when it might have been an input."""
    if kind == "folder":
        if entry.is_symlink():
            return "symbolic link to a folder, not followed"
        return "folder named like a page" if is_input_path(entry) else None
    if kind in _BROKEN_LINKS or (kind != "regular file" and is_input_path(entry)):
        return kind
    return None


def _path_kind(path: Path) -> str:
    """What ``path`` is, following symbolic links, without opening it: "regular file", "folder",
    "missing", a broken link, a special file, or why it cannot be looked at."""
    try:
        return _file_kind(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return "dangling symbolic link" if path.is_symlink() else "missing"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot be looked at: {_error_text(error)}"
    except ValueError:   # a NUL in the name: no such file can exist
        return "missing"


def _file_kind(mode: int) -> str:
    """The kind of file a stat mode describes, in words."""
    if stat.S_ISREG(mode):
        return "regular file"
    if stat.S_ISDIR(mode):
        return "folder"
    return _SPECIAL_FILES.get(stat.S_IFMT(mode), "special file")

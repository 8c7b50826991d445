"""Failures as one line a user can act on; the detail stays in the Dagster run or a crash log.

A full disk shows up in many disguises — ``OSError: [Errno 28]`` from the raw store, SQLite's
"database or disk is full" or "disk I/O error" from Dagster's run storage, DuckDB's "No space left
on device" — and sometimes only as the error of a clean-up that followed it. ``disk_full_message``
reads the whole chain of an error (live, or as Dagster serialised a failed step's) and names the
disk problem and where it is; the CLI prints anything else as its root cause, with a crash log.
"""
from __future__ import annotations

import shutil
import traceback
from collections.abc import Iterable, Iterator
from datetime import datetime, UTC
from pathlib import Path

_DISK_FULL_TEXT = ("no space left on device", "database or disk is full", "disk is full", "disk quota exceeded")
_DISK_IO_TEXT = "disk i/o error"   # SQLite's word for a write the disk refused (full only if a disk is)
_LOW_SPACE_BYTES = 4 * 1024 * 1024


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, then its causes and contexts, each once."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def live_errors(error: BaseException) -> list[tuple[str, str | None]]:
    """``(message, file name)`` of each error in a live exception's chain."""
    return [(str(item), getattr(item, "filename", None)) for item in _chain(error)]


def serialised_errors(error) -> list[tuple[str, str | None]]:
    """The same for Dagster's ``SerializableErrorInfo`` chain (a failed step's error)."""
    found = []
    while error is not None:
        found.append((error.message or "", None))
        error = error.cause or getattr(error, "context", None)
    return found


def disk_full_message(errors: Iterable[tuple[str, str | None]], places: Iterable[Path]) -> str | None:
    """"no space left on device: /home/x/.kabar/raw (0 bytes free)" when any of ``errors`` is a full
    disk, else None. ``places`` are the folders Kabar writes to: the full one is named when the error
    names no file."""
    errors, places = list(errors), list(places)
    full = [(message, filename) for message, filename in errors if any(t in message.lower() for t in _DISK_FULL_TEXT)]
    if not full and _fullest(places) is not None and any(_DISK_IO_TEXT in message.lower() for message, _ in errors):
        full = errors
    if not full:
        return None
    named = next((filename for _, filename in full if filename), None)
    place = Path(named).parent if named else _fullest(places)
    if place is None:
        return "no space left on device"
    return f"no space left on device: {place} ({_free(place)} free)"


def write_crash_log(error: BaseException, folder: Path) -> Path | None:
    """The traceback of an unexpected error in ``folder``; None when it cannot be written (a full disk)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.log"
        path.write_text("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return None


def _fullest(places: Iterable[Path]) -> Path | None:
    """The first existing folder among ``places`` with almost no free space."""
    for place in places:
        existing = next((p for p in (place, *place.parents) if p.exists()), None)
        if existing is not None and shutil.disk_usage(existing).free < _LOW_SPACE_BYTES:
            return place
    return None


def _free(place: Path) -> str:
    existing = next((p for p in (place, *place.parents) if p.exists()), None)
    if existing is None:
        return "unknown"
    free = shutil.disk_usage(existing).free
    return f"{free} bytes" if free < 1024 * 1024 else f"{free / 1024 / 1024:.0f} MiB"

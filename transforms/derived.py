"""Lookup tables derived from a large data file of an installed package, kept on disk once derived.

A step process fills its lookups from packaged data that is slow to read and mostly unused: the first
names (nomquamgender's 22 MB JSON, 721,739 names, of which 148,000 are read) took 3.0 s to parse and
filter, the GeoNames city index 1.2 s to build; their derived tables load in 0.04 s and 0.2 s. The multiprocess
executor's forkserver and every in-process run pay this once per process (``pipeline.warm``), so it is
start-up time of every run.

A table is stored under the cache folder (``$KABAR_CACHE``, else ``$XDG_CACHE_HOME/kabar``, else
``~/.cache/kabar``) with a name naming what it was derived from: the source file's path, size and
modification time and the deriving function's code, so a new version of the package or of the code
derives it again. A cache that cannot be read or written is derived in memory, as if there were none.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import TypeVar

T = TypeVar("T")
CACHE_ENV = "KABAR_CACHE"


def cache_dir() -> Path:
    folder = os.environ.get(CACHE_ENV)
    if folder:
        return Path(folder)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kabar"


def derived(name: str, source: Path, derive: Callable[[Path], T], *settings: object) -> T:
    """``derive(source)``, read from the cache when it was derived from this ``source`` by this code with
    these ``settings`` (the module constants ``derive`` reads) before."""
    try:
        path = cache_dir() / f"{name}-{_version(source, derive, settings)}.pickle"
    except OSError:   # the source is missing: ``derive`` says so in its own words
        return derive(source)
    try:
        with path.open("rb") as stored:
            return pickle.load(stored)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    value = derive(source)
    _store(path, value)
    return value


def _version(source: Path, derive: Callable, settings: tuple) -> str:
    stat = source.stat()
    digest = hashlib.sha256(repr((str(source.resolve()), stat.st_size, stat.st_mtime_ns, derive.__module__,
                                  derive.__qualname__, settings)).encode())
    _add_code(digest, derive.__code__)
    return digest.hexdigest()[:16]


def _add_code(digest, code: CodeType) -> None:
    """The code's bytecode and constants, nested functions' included (their repr names an address)."""
    digest.update(code.co_code)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            _add_code(digest, constant)
        else:
            digest.update(repr(constant).encode())


def _store(path: Path, value: object) -> None:
    """Write ``value`` whole or not at all (a temporary file renamed into place: a concurrent reader
    sees the old table or the new one), dropping the tables it replaces; a cache that cannot be written
    is skipped."""
    name = path.stem.rsplit("-", 1)[0]
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{name}-*.pickle"):
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}-", delete=False) as out:
            temporary = Path(out.name)
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)

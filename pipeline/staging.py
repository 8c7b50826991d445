"""Staged work: Parquet files the chunk steps write and the single loader merges.

Every unit of work (a chunk of a run, one WARC archive of a backfill) writes its frames under
``$KABAR_HOME/staging/<unit>/`` — first as ``<unit>.part``, renamed into place when complete, so a
crashed step leaves nothing half-staged. The loader (``pipeline.load``) merges every complete unit in
one warehouse transaction and removes the units it committed. A load that fails (the warehouse busy,
the disk full) leaves them for the next; a blocked one sets them aside under ``staging/blocked/``, so
one bad batch does not block every later load.
Writers never open the warehouse, so units are written in parallel, by any process or machine that
sees the folder.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from pipeline.ingest import Notices

_PART = ".part"
_NOTICES = "notices.json"
BLOCKED = "blocked"


class UnitWriter:
    """Adds frames and notices to one unit being written."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.notices = Notices()
        self._parts = 0

    def add(self, frames: dict[str, pl.DataFrame]) -> None:
        for table, frame in frames.items():
            frame.write_parquet(self.folder / f"{table}-{self._parts:05d}.parquet")
        self._parts += 1


class Staging:
    """The staged units under one folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @contextmanager
    def unit(self, name: str) -> Iterator[UnitWriter]:
        """Write unit ``name``: visible to the loader only once the block ends without an error (an
        earlier unit of the same name is replaced)."""
        partial = self.root / (name + _PART)
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        writer = UnitWriter(partial)
        try:
            yield writer
            (partial / _NOTICES).write_text(json.dumps(writer.notices.to_json()))
            target = self.root / name
            shutil.rmtree(target, ignore_errors=True)
            os.replace(partial, target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise

    def journal_path(self, name: str) -> Path:
        """Where unit ``name``'s journal lives while it is written (``pipeline.journal``)."""
        return self.root / f"{name}.journal"

    def complete_units(self) -> list[Path]:
        """The units ready to load, in name order."""
        if not self.root.is_dir():
            return []
        return sorted(path for path in self.root.iterdir()
                      if not path.name.endswith(_PART) and (path / _NOTICES).is_file())


UNIT = "unit"   # the column ``read_table`` adds: which unit staged the row


def read_table(units: list[Path], table: str, schema: dict) -> pl.DataFrame:
    """``table``'s staged rows across ``units`` with the name of the unit of each (an empty frame of
    ``schema`` when there are none)."""
    frames = [pl.read_parquet(file).select(list(schema)).with_columns(pl.lit(unit.name).alias(UNIT))
              for unit in units for file in sorted(unit.glob(f"{table}-*.parquet"))]
    if not frames:
        return pl.DataFrame(schema={**schema, UNIT: pl.String})
    return pl.concat(frames, how="vertical_relaxed")


def read_notices(units: list[Path]) -> Notices:
    notices = Notices()
    for unit in units:
        notices.add(Notices.from_json(json.loads((unit / _NOTICES).read_text())))
    return notices


def set_aside(units: list[Path]) -> Path:
    """Move ``units`` out of the loader's way into ``blocked/`` (an older unit of the same name replaced)."""
    blocked = units[0].parent / BLOCKED if units else Path(BLOCKED)
    for unit in units:
        blocked.mkdir(exist_ok=True)
        shutil.rmtree(blocked / unit.name, ignore_errors=True)
        os.replace(unit, blocked / unit.name)
    return blocked


def remove_units(units: list[Path]) -> None:
    for unit in units:
        shutil.rmtree(unit, ignore_errors=True)

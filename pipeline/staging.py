"""Staged work: Parquet files the chunk steps write and the single loader merges.

Every unit of work (a chunk of a run, one WARC archive of a backfill) writes its frames under
``<unit>/`` of the staging storage (``$KABAR_HOME/staging``, or a bucket shared by several machines),
its notices last: a unit without them is incomplete and never loaded, and writing a unit first
clears an earlier one of the same name (a retried step's, a crashed one's). The loader
(``pipeline.load``) merges every complete unit in one warehouse transaction and removes the units
it committed. A load that fails (the warehouse busy, the disk full) leaves them for the next; a
blocked one sets them aside under ``blocked/``, so one bad batch does not block every later load.
Writers never open the warehouse, so units are written in parallel, by any process or machine that
reaches the storage.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.config import Config
from pipeline.ingest import Notices
from warehouse.storage import Storage, open_storage

_NOTICES = "notices.json"
BLOCKED = "blocked"


@dataclass(frozen=True)
class StagedUnit:
    """One complete unit in its storage."""

    storage: Storage
    name: str

    def keys(self, prefix: str = "") -> list[str]:
        return self.storage.keys(f"{self.name}/{prefix}")


class UnitWriter:
    """Adds frames and notices to one unit being written."""

    def __init__(self, storage: Storage, name: str):
        self.storage, self.name = storage, name
        self.notices = Notices()
        self._parts = 0

    def add(self, frames: dict[str, pl.DataFrame]) -> None:
        for table, frame in frames.items():
            buffer = io.BytesIO()
            frame.write_parquet(buffer)
            self.storage.write(f"{self.name}/{table}-{self._parts:05d}.parquet", buffer.getvalue())
        self._parts += 1


class Staging:
    """The staged units in one storage; the journals of the steps writing them in a local folder."""

    def __init__(self, storage: Storage, journals: Path):
        self.storage, self.journals = storage, Path(journals)

    @contextmanager
    def unit(self, name: str) -> Iterator[UnitWriter]:
        """Write unit ``name``: visible to the loader only once the block ends without an error (an
        earlier unit of the same name is replaced)."""
        self.storage.delete(self.storage.keys(f"{name}/"))
        writer = UnitWriter(self.storage, name)
        try:
            yield writer
            self.storage.write(f"{name}/{_NOTICES}", json.dumps(writer.notices.to_json()).encode())
        except BaseException:
            self.storage.delete(self.storage.keys(f"{name}/"))
            raise

    def journal_path(self, name: str) -> Path:
        """Where unit ``name``'s journal lives while it is written (``pipeline.journal``)."""
        return self.journals / f"{name}.journal"

    def complete_units(self) -> list[StagedUnit]:
        """The units ready to load, in name order."""
        names = {key.removesuffix(f"/{_NOTICES}") for key in self.storage.keys()
                 if key.endswith(f"/{_NOTICES}") and key.count("/") == 1}
        return [StagedUnit(self.storage, name) for name in sorted(names - {BLOCKED})]


def open_staging(config: Config) -> Staging:
    """The staging at ``config.staging_location`` (a folder, or an S3 bucket shared by several machines)."""
    return Staging(open_storage(config.staging_location, s3_endpoint=config.s3_endpoint), config.journal_dir)


UNIT = "unit"   # the column ``read_table`` adds: which unit staged the row


def read_table(units: list[StagedUnit], table: str, schema: dict) -> pl.DataFrame:
    """``table``'s staged rows across ``units`` with the name of the unit of each (an empty frame of
    ``schema`` when there are none)."""
    frames = [pl.read_parquet(io.BytesIO(unit.storage.read(key))).select(list(schema))
              .with_columns(pl.lit(unit.name).alias(UNIT))
              for unit in units for key in unit.keys(f"{table}-")]
    if not frames:
        return pl.DataFrame(schema={**schema, UNIT: pl.String})
    return pl.concat(frames, how="vertical_relaxed")


def read_notices(units: list[StagedUnit]) -> Notices:
    notices = Notices()
    for unit in units:
        notices.add(Notices.from_json(json.loads(unit.storage.read(f"{unit.name}/{_NOTICES}"))))
    return notices


def set_aside(units: list[StagedUnit]) -> str:
    """Move ``units`` out of the loader's way into ``blocked/`` (an older unit of the same name
    replaced); where they went."""
    for unit in units:
        storage = unit.storage
        storage.delete(storage.keys(f"{BLOCKED}/{unit.name}/"))
        keys = unit.keys()
        for key in keys:
            storage.write(f"{BLOCKED}/{key}", storage.read(key))
        storage.delete(keys)
    return f"{units[0].storage.location}/{BLOCKED}" if units else BLOCKED


def remove_units(units: list[StagedUnit]) -> None:
    for unit in units:
        unit.storage.delete(unit.keys())

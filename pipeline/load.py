"""Load: the single writer merges every staged unit into the warehouse in one transaction.

Runs, backfills and crawls all stage units (``pipeline.staging``); this is their one loader. It
settles the units as one batch, validates it, and commits it (``warehouse.io.load_batch``: all
tables, integrity checked, rolled back on any error); the committed units are then removed. A
failed load keeps the units for the next load; a blocked one sets them aside (``staging/blocked/``).
Callers hold the home's writer lock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, UTC

import duckdb
import polars as pl

from expectations.quarantine import QuarantineLimit
from pipeline.config import Config
from pipeline.quality import PageSettings, Validated, validate
from pipeline.report import LoadReport
from pipeline.settle import settle
from pipeline.staging import open_staging, read_notices, remove_units, set_aside
from transforms.progress import Counter
from transforms.schemas import LOAD_ORDER
from warehouse.io import load_batch, open_warehouse, table_counts


@dataclass(frozen=True)
class Loaded:
    report: LoadReport
    validated: Validated


def load_staged(config: Config, *, run_id: str | None = None) -> Loaded:
    """Settle, validate and load every complete staged unit; the report says what happened (its
    ``blocked`` says why nothing loaded). ``run_id`` names the load's quality page (a Dagster run id;
    by default the load's UTC time)."""
    now = datetime.now(UTC)
    pages = PageSettings(config.quality_dir, run_id or f"load-{now:%Y%m%dT%H%M%S%fZ}", config.quality_keep)
    units = open_staging(config).complete_units()
    loading = Counter("loading", "load", total=3, unit="steps")   # settle, validate, write
    with open_warehouse(config.warehouse, wait_seconds=config.busy_timeout_seconds) as con:
        batch = settle(con, units, now)
        loading.advance()
        validated = validate(con, batch, now=now, limit=QuarantineLimit(config.max_quarantined_share),
                             pages=pages)
        loading.advance()
        report = LoadReport.of([unit.name for unit in units], batch.manifest, validated.tables, read_notices(units))
        report.quality_page = str(validated.quality_page) if validated.quality_page else None
        report.blocked = validated.blocked
        if report.blocked is None:
            report.written = _write(con, validated.tables)
            remove_units(units)
        else:
            report.set_aside = set_aside(units)
        report.totals = table_counts(con)
    loading.finish()
    return Loaded(report, validated)


def _write(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame]) -> dict[str, int]:
    """Rows written per table. A batch with no row (a re-run of loaded input) opens no transaction: every
    load statement is driven by staged rows, and the integrity queries would re-check the unchanged
    warehouse (0.1 s on 1,000 loaded articles)."""
    if any(frame.height for frame in tables.values()):
        return load_batch(con, tables)
    return {table: 0 for table in LOAD_ORDER if table in tables}

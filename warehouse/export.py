"""Parquet export: a read path for tools that cannot open the DuckDB file (or while it is locked)."""
from __future__ import annotations

import shutil
from pathlib import Path

from transforms.progress import Counter, counted
from transforms.schemas import EXPORTED_TABLES
from warehouse.io import connect, sql


def export_parquet(warehouse_path: Path, directory: Path, *, wait_seconds: float = 0.0) -> dict[str, int]:
    """One folder per table; articles partitioned by UTC publication date (hive style,
    ``published_date=2025-01-14``). Existing table folders are replaced, so re-exporting is idempotent.
    While another process holds the file (a load), wait up to ``wait_seconds`` for it."""
    directory.mkdir(parents=True, exist_ok=True)
    con = connect(warehouse_path, read_only=True, wait_seconds=wait_seconds)
    written = {}
    try:
        for table in counted(EXPORTED_TABLES, Counter("exporting", str(directory), total=len(EXPORTED_TABLES),
                                                      unit="tables")):
            frame = con.execute(sql("export/articles")).pl() if table == "articles" else con.table(table).pl()
            target = directory / table
            if target.exists():
                shutil.rmtree(target)
            if table == "articles":
                frame.write_parquet(target, partition_by="published_date")
            else:
                target.mkdir()
                frame.write_parquet(target / "part-0.parquet")
            written[table] = frame.height
    finally:
        con.close()
    return written

"""Every row of a warehouse, to hold two deployments' loads of the same inputs equal."""
from __future__ import annotations

from pathlib import Path

from transforms.schemas import TABLES
from warehouse.io import open_warehouse

PAGE_TIMES = ("published_at", "modified_at")


def warehouse_rows(path: Path) -> dict[str, list[str]]:
    """Each table's rows, sorted, without the columns a run stamps (``*_at`` but the page's own times)."""
    rows = {}
    with open_warehouse(path) as con:
        for table in TABLES:
            relation = con.table(table)
            keep = [index for index, column in enumerate(relation.columns)
                    if not column.endswith("_at") or column in PAGE_TIMES]
            rows[table] = sorted(str([row[index] for index in keep]) for row in relation.fetchall())
    return rows

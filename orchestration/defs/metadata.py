"""Materialisation metadata every Kabar asset reports: row count (under the key the Dagster UI reads)
and a preview."""
from __future__ import annotations

import dagster as dg
import polars as pl

ROW_COUNT = "dagster/row_count"
PREVIEW_ROWS = 5
_PREVIEW_CHARS = 60


def frame_metadata(frame: pl.DataFrame, **extra) -> dict:
    """``dagster/row_count`` and a Markdown preview of the first rows (long text cut short)."""
    preview = frame.head(PREVIEW_ROWS).with_columns(
        pl.col(pl.String).str.slice(0, _PREVIEW_CHARS),
        pl.col(pl.List(pl.String)).list.join(", ").str.slice(0, _PREVIEW_CHARS),
    )
    return {ROW_COUNT: dg.MetadataValue.int(frame.height),
            "preview": dg.MetadataValue.md(markdown_table(preview)), **extra}


def markdown_table(frame: pl.DataFrame) -> str:
    if frame.width == 0:
        return "(no columns)"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(_cell(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows]) if rows else "\n".join([header, rule, "| (no rows) |"])


def _cell(value) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")

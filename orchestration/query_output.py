"""``kabar sql`` results as CSV or JSON, whatever the column types (DuckDB draws the table).

polars reads no DuckDB interval, writes no nested column to CSV (the README's
``quotes_per_speaker`` has a list of outlets) and panics on a binary column in JSON, so results
are fetched as Python values and written from them: nested values become JSON text in a CSV cell,
bytes their hex, times ISO 8601, decimals, intervals and UUIDs text.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID


def as_csv(columns: list[str], rows: list[tuple]) -> str:
    """A header line and one line per row; nested values as JSON, nulls as empty cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else _cell(value) for value in row] for row in rows)
    return out.getvalue()


def as_json(columns: list[str], rows: list[tuple]) -> str:
    """One JSON array of row objects."""
    return json.dumps([dict(zip(columns, row)) for row in rows], default=_plain, ensure_ascii=False) + "\n"


def _cell(value) -> str:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=_plain, ensure_ascii=False)
    return str(_plain(value)) if not isinstance(value, str) else value


def _plain(value):
    """A JSON-friendly stand-in for what ``json`` cannot write."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    return value if isinstance(value, (int, float, bool, str)) else str(value)

"""The report's numbers: one query per chart (``warehouse/sql/report/<chart>.sql``) on a read-only
connection, kept as plain rows so the page embeds exactly what the SQL returned and tests can compare."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from transforms.outlet_health import degradations
from warehouse.io import sql

TOP_OUTLETS = 8   # outlets drawn on their own in the articles-per-day chart; the rest are 'other outlets'
TOP_ENTITIES = 20
TOP_SPEAKERS = 15
# Each chart's query and its bound parameters (a query's only values; nothing is formatted into SQL).
QUERIES = {
    "articles_per_day": {"top": TOP_OUTLETS},
    "languages": {},
    "top_entities": {"top": TOP_ENTITIES},
    "top_speakers": {"top": TOP_SPEAKERS},
    "agency_citations": {},
    "outlet_health": {},
    "outlet_rejects": {},
}

Row = dict[str, str | int | float | None]


@dataclass(frozen=True)
class ReportData:
    headline: Row   # articles, outlets, first_day, last_day, undated_articles, entities, quotes, rejects
    charts: dict[str, list[Row]]   # QUERIES' names to their rows
    degraded: list[Row]   # what the outlet_extraction_health check warns about now (transforms.outlet_health)

    @property
    def is_empty(self) -> bool:
        return not (self.headline["articles"] or self.headline["rejects"])

    def to_json(self) -> dict:
        return {"headline": self.headline, "charts": self.charts, "degraded": self.degraded}


def collect(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Every chart's rows, the headline numbers and the degraded outlets from the warehouse ``con`` is open on."""
    found = degradations(con.execute(sql("read/outlet_daily_health")).pl())
    degraded = [{"outlet": d.outlet, "field": d.field, "since": d.since.isoformat(), "last": d.last.isoformat(),
                 "value": d.value, "baseline": d.baseline, "description": d.describe()} for d in found]
    return ReportData(_rows(con, "headline", {})[0], {name: _rows(con, name, params) for name, params in QUERIES.items()},
                      degraded)


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[Row]:
    cursor = con.execute(sql(f"report/{name}"), params)
    columns = [column[0] for column in cursor.description]
    return [{column: _plain(value) for column, value in zip(columns, row, strict=True)} for row in cursor.fetchall()]


def _plain(value):
    """A value as JSON has it: days as ISO text."""
    return value.isoformat() if isinstance(value, date) else value

"""``kabar report``: the warehouse at a glance as one static page, readable offline in any browser.

``report.html`` and ``report.css`` beside it, in the folder given (default ``$KABAR_HOME/report``): headline
numbers, then articles per day per outlet, languages, top entities, top speakers, agency citations per
outlet, outlet extraction health (``outlet_daily_health``) and rejected pages. The charts are SVG drawn
here (``svg``), the numbers come from ``warehouse/sql/report/*.sql`` on a read-only connection (``data``),
and the page embeds them as JSON. No script runs and nothing is fetched when it opens.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pipeline.page_style import stylesheet
from pipeline.warehouse_report.data import ReportData, collect
from pipeline.warehouse_report.page import STYLESHEET, report_page
from warehouse.io import connect, migrations, schema_version
from warehouse.storage import LocalFolder

PAGE = "report.html"
STYLE = Path(__file__).with_name("style.css")


class OutdatedWarehouse(RuntimeError):
    """The warehouse lacks migrations the report's queries need; a read-only connection cannot add them."""


def read_report(warehouse: Path, *, wait_seconds: float = 0.0,
                on_wait: Callable[[str], None] | None = None) -> ReportData:
    """The report's numbers, read while holding the warehouse read-only (waiting up to ``wait_seconds``
    for a writer, then ``Busy``)."""
    con = connect(warehouse, read_only=True, wait_seconds=wait_seconds, on_wait=on_wait)
    try:
        found, latest = schema_version(con), migrations()[-1].version
        if found < latest:
            raise OutdatedWarehouse(f"the warehouse {warehouse} has schema version {found}, the report needs {latest}: "
                                    "a `kabar run` brings it up to date")
        return collect(con)
    finally:
        con.close()


def write_report(data: ReportData, folder: Path) -> Path:
    """Write ``report.html`` (whole or not at all, replacing an older one) and ``report.css``; the page's path."""
    target = LocalFolder(folder)
    target.write(STYLESHEET, stylesheet(STYLE))
    target.write(PAGE, report_page(data, made_at=datetime.now(UTC)).encode("utf-8"))
    return folder / PAGE

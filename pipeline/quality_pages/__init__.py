"""Kabar's own quality pages: what each load's validation found, readable offline in any browser.

Why not Great Expectations' Data Docs: their pages take their CSS and scripts from CDNs (upstream
declined to bundle them) and nothing but package registries is reachable here, so opened from disk they
render unstyled with an empty index; and GX keeps only the latest validation, so an idempotent re-run (an
empty batch) replaced a real warning. Validation stays on GX (``expectations.validate``); these pages only
present its outcomes, naming the failing rows' articles (``CheckOutcome.examples``).

Under ``Config.quality_dir`` ($KABAR_HOME/quality):

* ``runs/<run_id>.json``: one small record per load (``record.RunRecord``), all the pages are made from;
* ``runs/<run_id>.html``: that load's page, a section per table and a row per expectation;
* ``index.html``: every kept load, newest first, and ``quality.css`` beside it: no external URL, no script.

Retention: the newest ``keep`` loads by run time (``KABAR_QUALITY_KEEP``, default 100; a load's record and
page are about 30 kB); older records and their pages are deleted when a load is published. A batch with no staged row in any table
publishes nothing and leaves the history as it was.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from expectations.validate import TableReport
from pipeline.page_style import stylesheet
from pipeline.quality_pages import history
from pipeline.quality_pages.record import RunRecord
from pipeline.quality_pages.render import index_page, run_page
from warehouse.storage import LocalFolder

STYLE = Path(__file__).with_name("style.css")


def publish(directory: Path, reports: Mapping[str, TableReport], *, run_id: str, run_time: datetime,
            keep: int) -> Path | None:
    """Record this load's validation, prune the history to ``keep`` loads and write its page and the
    index; the page's path, or None for a batch with no staged row (nothing written)."""
    record = RunRecord.of(reports, run_id=run_id, run_time=run_time)
    if not record.rows:
        return None
    history.save(directory, record)
    kept = history.prune(directory, keep)
    page = history.page_path(directory, run_id)
    history.write_text(page, run_page(record))
    history.write_text(directory / "index.html", index_page(kept))
    LocalFolder(directory).write("quality.css", stylesheet(STYLE))
    return page

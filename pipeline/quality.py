"""Quality: every Great Expectations suite on the settled batch, and what its failures mean.

A failing row holds back its article (``expectations.quarantine``): its document gets ``rejects``
rows and the rest of the batch loads. Shared ``sources`` rows are mended. Only a batch-wide error
(staged columns that do not fit, a check that could not run, too many articles held back) blocks.
Each validation is published as a page of Kabar's own (``pipeline.quality_pages``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from expectations.checks import STAGED_SCHEMA
from expectations.quarantine import QuarantineLimit, Settled, quarantine
from expectations.validate import validate_batch
from pipeline.quality_pages import publish
from pipeline.settle import Batch
from transforms.schemas import TABLES
from transforms.syndication import promote_orphaned_leaders
from warehouse.io import existing_ids

_BLOCKING_CHARS = 600


@dataclass(frozen=True)
class PageSettings:
    """Where a load's quality page goes, under which run id, and how many loads are kept."""

    directory: Path
    run_id: str
    keep: int


@dataclass(frozen=True)
class Validated:
    """The tables to load (every warehouse table), the settled validation and its quality page (None for a
    batch with no staged row: nothing to show)."""

    tables: dict[str, pl.DataFrame]
    settled: Settled
    quality_page: Path | None

    @property
    def blocked(self) -> str | None:
        """Why the batch must not load, on one line; None when it may."""
        return blocking_reason(self.settled.blocked) if self.settled.blocked else None


def validate(con: duckdb.DuckDBPyConnection, batch: Batch, *, now: datetime, limit: QuarantineLimit,
             pages: PageSettings) -> Validated:
    """Run every suite on ``batch`` (ids it references looked up behind ``con``), hold back the articles
    with a failing row or a stage failure, mend shared rows, and publish the validation's page."""
    frames = {table: frame for table, frame in batch.frames.items() if table not in ("documents", "rejects")}
    # Ids the batch references but does not stage, and every cluster id: a staged version of an
    # article may yet be held back while the loaded one stays.
    known_articles = existing_ids(con, "articles", _referenced(frames, "article_id", "articles")
                                  | set(frames["articles"]["cluster_id"].drop_nulls().to_list()))
    known_sources = existing_ids(con, "sources", _referenced(frames, "source_id", "sources"))
    reports = validate_batch(frames, now=now, known_article_ids=frozenset(known_articles),
                             known_source_ids=frozenset(known_sources))
    settled = quarantine(frames, reports, rejected_at=now, failures=batch.failures, limit=limit)
    page = publish(pages.directory, settled.reports, run_id=pages.run_id, run_time=now, keep=pages.keep)
    cleaned = dict(settled.frames)
    cleaned["articles"] = promote_orphaned_leaders(cleaned["articles"], known_articles)
    tables = {table: cleaned[table].select(list(columns)) for table, columns in TABLES.items()
              if table in cleaned}
    tables["rejects"] = pl.concat([batch.frames["rejects"].select(list(TABLES["rejects"])),
                                   settled.rejects.select(list(TABLES["rejects"]))])
    tables["documents"] = batch.frames["documents"]
    return Validated(tables, settled, page)


def _referenced(frames: dict[str, pl.DataFrame], key: str, parent: str) -> set[str]:
    """Values of ``key`` used by child tables but absent from the staged ``parent`` table."""
    used = {value for name, frame in frames.items() if name != parent and key in frame.columns
            for value in frame[key].drop_nulls().unique().to_list()}
    return used - set(frames[parent][key].to_list())


def blocking_reason(errors: list | tuple) -> str:
    """Why the load is blocked, on one line: staged columns that do not fit say it alone (every check is
    then "could not run"), else each error, shortened."""
    schema = [o for o in errors if o.expectation == STAGED_SCHEMA]
    text = " ".join("; ".join(o.detail for o in (schema or errors)).split())
    return (text[:_BLOCKING_CHARS - 1] + "…" if len(text) > _BLOCKING_CHARS else text) or "none"

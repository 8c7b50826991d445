"""What failing rows mean for a batch: the article is the unit of failure.

A row that breaks a ``quarantine`` check, in ``articles`` or in a child table, holds back its whole
article: none of its rows load and its document gets one ``rejects`` row per broken check (reason
``<table>.<check>``, detail with the offending values). Per-article failures of a pipeline stage
(``entities_error``, …) hold articles back the same way. A ``sources`` row breaking a ``repair``
check is mended instead (the field nulled, or the row dropped with its links), because one outlet's
row is shared by all its articles. The rest of the batch loads.

Only batch-wide problems block the load: a computed ``error`` outcome (staged columns that do not
match, a check that could not run) or more than ``QuarantineLimit.share`` of a batch of at least
``min_articles`` articles held back — that many means a bug or a broken outlet, not odd pages, and
committing them as rejects would mark their documents seen.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from expectations.checks import BATCH_QUARANTINE_SHARE, ERROR
from expectations.suites import SUITES
from expectations.validate import CheckOutcome, TableReport, describe_row
from transforms.failures import failures_frame
from transforms.schemas import ARTICLE_CHILDREN, VALIDATED_TABLES, frame

# Validated tables whose rows each belong to one article (its own row or a child row).
ARTICLE_TABLES = tuple(table for table in ("articles", *ARTICLE_CHILDREN) if table in VALIDATED_TABLES)
_UNIQUE_EXPECTATIONS = ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique")
_SHOWN_SOURCES = 3


@dataclass(frozen=True)
class QuarantineLimit:
    """Above ``share`` of a batch of at least ``min_articles`` articles held back, the load is blocked."""

    share: float = 0.2
    min_articles: int = 10


DEFAULT_LIMIT = QuarantineLimit()


@dataclass(frozen=True)
class Settled:
    """A validated batch after quarantine: the frames to load, the rejects, the reports with the
    batch outcome added, and the warnings about rows mended or dropped."""

    frames: dict[str, pl.DataFrame]
    rejects: pl.DataFrame
    reports: dict[str, TableReport]
    warnings: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> list[CheckOutcome]:
        """The batch-wide errors that forbid loading (empty when the batch may load)."""
        return [outcome for report in self.reports.values() for outcome in report.errors]


def quarantine(frames: Mapping[str, pl.DataFrame], reports: Mapping[str, TableReport], *, rejected_at: datetime,
               failures: pl.DataFrame | None = None, limit: QuarantineLimit = DEFAULT_LIMIT) -> Settled:
    """Mend shared rows, hold back every article with a failing row or a stage failure, and add the
    ``batch_quarantine_share`` outcome to the articles report."""
    frames, warnings = _repair_sources(dict(frames), reports.get("sources"))
    articles = frames.get("articles", frame("articles"))
    held = _Held(articles)
    for table in ARTICLE_TABLES:
        report = reports.get(table)
        for outcome in report.quarantines if report else ():
            held.add_outcome(table, frames.get(table, frame(table)), outcome)
    for row in (failures if failures is not None else failures_frame()).iter_rows(named=True):
        held.add_article(row["article_id"], row["reason"], row["detail"])
    rejects = held.rejects(rejected_at)
    reports = dict(reports)
    if "articles" in reports:
        reports["articles"] = reports["articles"].with_outcome(_share_outcome(held.article_rows, articles.height, limit))
    return Settled(_without(frames, held), rejects, reports, warnings + held.warnings)


class _Held:
    """The article rows held back, and why: reasons by article row index."""

    def __init__(self, articles: pl.DataFrame):
        self.articles = articles
        self.reasons: dict[int, dict[str, str]] = {}
        self.orphans: dict[str, set[int]] = {}   # child rows whose article is not staged: dropped
        self.warnings: list[str] = []
        self._rows_of: dict[str, list[int]] = {}
        for index, article_id in enumerate(articles.get_column("article_id").to_list() if articles.height else []):
            if article_id is not None:
                self._rows_of.setdefault(article_id, []).append(index)

    @property
    def article_rows(self) -> list[int]:
        return sorted(self.reasons)

    def add_outcome(self, table: str, staged: pl.DataFrame, outcome: CheckOutcome) -> None:
        check = SUITES[table].check(outcome.expectation)
        reason = f"{table}.{check.name}"
        by_row: dict[int, list[int]] = {}   # article row -> failing rows of ``table``
        for index in outcome.failed_rows:
            if table == "articles":
                rows = [index]
            else:
                rows = self._rows_of.get(staged[index, "article_id"], [])
                if not rows:
                    self.orphans.setdefault(table, set()).add(index)
            for row in rows:
                by_row.setdefault(row, []).append(index)
        for row, failing in by_row.items():
            shown = describe_row(staged, failing[0], check.shown_columns)
            more = f" ({len(failing)} rows)" if len(failing) > 1 else ""
            self.reasons.setdefault(row, {})[reason] = f"{check.description}: {shown}{more}"
        if table in self.orphans:
            self.warnings.append(f"{table}: {len(self.orphans[table])} rows belong to no staged article and were dropped")

    def add_article(self, article_id: str, reason: str, detail: str) -> None:
        for row in self._rows_of.get(article_id, []):
            self.reasons.setdefault(row, {})[reason] = detail

    def held_ids(self) -> set[str]:
        return {aid for row in self.reasons if (aid := self.articles[row, "article_id"]) is not None}

    def rejects(self, rejected_at: datetime) -> pl.DataFrame:
        """One row per (document, reason) of the held-back articles."""
        rows = []
        for row, reasons in sorted(self.reasons.items()):
            document_id, origin = self.articles[row, "document_id"], self.articles[row, "origin"]
            if document_id is None:
                self.warnings.append(f"an article row without document_id was held back ({', '.join(reasons)})")
                continue
            rows += [{"document_id": document_id, "origin": origin, "reason": reason, "detail": detail,
                      "rejected_at": rejected_at} for reason, detail in reasons.items()]
        return frame("rejects", rows).unique(["document_id", "reason"], keep="first", maintain_order=True)


def _without(frames: dict[str, pl.DataFrame], held: _Held) -> dict[str, pl.DataFrame]:
    """The frames without the held-back articles, their children and orphaned child rows."""
    cleaned = dict(frames)
    if not held.reasons and not held.orphans:
        return cleaned
    gone = pl.Series(sorted(held.held_ids()), dtype=pl.String).implode()
    if held.reasons:
        articles = cleaned["articles"].with_row_index("_row")
        cleaned["articles"] = articles.filter(~pl.col("_row").is_in(held.article_rows)).drop("_row")
    for table in ARTICLE_CHILDREN:  # removed together with a held-back article
        child = cleaned.get(table)
        if child is None or not child.height:
            continue
        orphans = sorted(held.orphans.get(table, ()))
        keep = ~pl.col("article_id").is_in(gone).fill_null(False) & ~pl.col("_row").is_in(orphans)
        cleaned[table] = child.with_row_index("_row").filter(keep).drop("_row")
    return cleaned


def _share_outcome(held_rows: list[int], articles: int, limit: QuarantineLimit) -> CheckOutcome:
    blocked = articles >= limit.min_articles and len(held_rows) > limit.share * articles
    detail = (f"{len(held_rows)} of {articles} articles held back by checks or stage errors "
              f"(the load is blocked above {limit.share:.0%} of a batch of at least {limit.min_articles})")
    return CheckOutcome("articles", BATCH_QUARANTINE_SHARE, ERROR, not blocked, len(held_rows), articles, detail,
                        tuple(held_rows))


def _named(sources: pl.DataFrame, rows: set[int]) -> str:
    """The first few mended sources by id and domain: a reader looks a source up by those, not by row."""
    shown = [f"{sources[row, 'source_id']} ({sources[row, 'domain']})" for row in sorted(rows)[:_SHOWN_SOURCES]]
    return f": {', '.join(shown)}" + (", …" if len(rows) > _SHOWN_SOURCES else "") if shown else ""


def _repair_sources(frames: dict[str, pl.DataFrame], report: TableReport | None) -> tuple[dict, list[str]]:
    """Null the bad fields of ``sources`` rows, or drop a row whose key or required field is bad
    (keeping the first of duplicates), with the links and publisher ids that named a dropped row."""
    sources = frames.get("sources")
    if report is None or sources is None or not report.repairs:
        return frames, []
    suite = SUITES["sources"]
    drop: set[int] = set()
    nulls: dict[str, set[int]] = {}
    warnings = []
    for outcome in report.repairs:
        check = suite.check(outcome.expectation)
        rows = set(outcome.failed_rows)
        if check.expectation in _UNIQUE_EXPECTATIONS:
            first = sources.with_row_index("_row").unique(list(check.columns), keep="first")["_row"].to_list()
            rows -= set(first)
        columns = [c for c in check.shown_columns if c in sources.columns]
        if set(columns) & set(suite.required) or check.expectation in _UNIQUE_EXPECTATIONS:
            drop |= rows
            warnings.append(f"sources.{check.name}: {len(rows)} rows dropped ({check.description}){_named(sources, rows)}")
        else:
            for column in columns:
                nulls.setdefault(column, set()).update(rows)
            warnings.append(f"sources.{check.name}: {', '.join(columns)} nulled in {len(rows)} rows "
                            f"({check.description}){_named(sources, rows)}")
    indexed = sources.with_row_index("_row")
    mended = indexed.with_columns([pl.when(pl.col("_row").is_in(sorted(rows))).then(None).otherwise(pl.col(c)).alias(c)
                                   for c, rows in nulls.items()])
    dropped_ids = set(mended.filter(pl.col("_row").is_in(sorted(drop)))["source_id"].drop_nulls().to_list())
    frames["sources"] = mended.filter(~pl.col("_row").is_in(sorted(drop))).drop("_row")
    dropped_ids -= set(frames["sources"]["source_id"].drop_nulls().to_list())   # a kept duplicate still stands
    if dropped_ids:
        gone = pl.Series(sorted(dropped_ids), dtype=pl.String).implode()
        if "article_sources" in frames:
            frames["article_sources"] = frames["article_sources"].filter(~pl.col("source_id").is_in(gone))
        if "articles" in frames:
            frames["articles"] = frames["articles"].with_columns(
                pl.when(pl.col("source_id").is_in(gone)).then(None).otherwise(pl.col("source_id")).alias("source_id"))
    return frames, warnings

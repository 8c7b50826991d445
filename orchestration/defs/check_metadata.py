"""What a table's suite check shows in Dagster: counts as numbers the UI can plot, and which
expectations failed, how badly and why, as a Markdown table."""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import polars as pl

from expectations.suites import SUITES
from expectations.validate import CheckOutcome, TableReport
from orchestration.defs.metadata import markdown_table
from pipeline.quality import blocking_reason

_DETAIL_CHARS = 4000


def check_metadata(report: TableReport, page: Path | None = None) -> dict[str, dg.MetadataValue]:
    """The suite's counts, one ``failed_rows/<expectation>`` per failed expectation, for a failure the
    table of failed expectations with example articles, and a link to the table's section of the load's
    quality page (``page``; None when nothing was staged)."""
    link = {"quality_page": dg.MetadataValue.url(f"{page.resolve().as_uri()}#{report.table}")} if page else {}
    return {**_counts(report), **_failures(report), **link}


def _counts(report: TableReport) -> dict[str, dg.MetadataValue]:
    failures = report.failures
    return {
        "expectations_evaluated": dg.MetadataValue.int(len(report.outcomes)),
        "expectations_failed": dg.MetadataValue.int(len(failures)),
        "rows_checked": dg.MetadataValue.int(max((o.element_count for o in report.outcomes), default=0)),
        **{f"failed_rows/{o.expectation}": dg.MetadataValue.int(o.unexpected_count) for o in failures},
    }


def _failures(report: TableReport) -> dict[str, dg.MetadataValue]:
    """The failed expectations, and the short lines ``kabar run``'s summary prints for each severity."""
    if not report.failures:
        return {}
    summaries = {
        "blocking": blocking_reason(report.errors) if report.errors else "",
        "warnings": _listed(report.warnings + report.repairs),
        "articles_held_back": _listed(report.quarantines),
    }
    return {
        "failed_expectations": dg.MetadataValue.md(markdown_table(_failure_rows(report))),
        **{name: dg.MetadataValue.text(text) for name, text in summaries.items() if text},
        "detail": dg.MetadataValue.text("\n".join(o.detail for o in report.failures)[:_DETAIL_CHARS]),
    }


def _failure_rows(report: TableReport) -> pl.DataFrame:
    descriptions = {check.name: check.description for check in SUITES[report.table].checks}
    return pl.DataFrame(
        [{"expectation": o.expectation, "severity": o.severity, "failing rows": f"{o.unexpected_count} of {o.element_count}",
          "description": descriptions.get(o.expectation) or o.detail,
          "examples": " ".join(f"{key} {url}" for key, url in o.examples)} for o in report.failures],
        schema={"expectation": pl.String, "severity": pl.String, "failing rows": pl.String, "description": pl.String,
                "examples": pl.String})


def _listed(outcomes: tuple[CheckOutcome, ...]) -> str:
    return ", ".join(f"{o.expectation} ({o.unexpected_count})" for o in outcomes)

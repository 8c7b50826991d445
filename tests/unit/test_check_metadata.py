"""The metadata a suite's Dagster check shows: numbers per expectation, a table of the failures, no filler."""
from __future__ import annotations

from expectations.suites import SUITES
from expectations.validate import CheckOutcome, TableReport
from orchestration.defs.check_metadata import check_metadata


EXAMPLE = ("a1b2c3", "https://news.example/a")


def outcome(expectation: str, severity: str = "quarantine", failing: int = 0, rows: int = 40) -> CheckOutcome:
    return CheckOutcome("articles", expectation, severity, not failing, failing, rows,
                        f"{expectation}: {failing} rows, e.g. row 3" if failing else "",
                        examples=(EXAMPLE,) if failing else ())


def test_a_passing_suite_shows_its_counts_and_no_text():
    metadata = check_metadata(TableReport("articles", (outcome("language_bcp47"), outcome("article_id_not_null"))))
    assert {name: value.value for name, value in metadata.items()} == {
        "expectations_evaluated": 2, "expectations_failed": 0, "rows_checked": 40}


def test_each_failed_expectation_has_its_failing_rows_and_a_row_in_the_table():
    description = next(c.description for c in SUITES["articles"].checks if c.name == "language_bcp47")
    report = TableReport("articles", (outcome("language_bcp47", failing=3), outcome("article_id_not_null"),
                                      outcome("too_many_held_back", "error", failing=30)))
    metadata = check_metadata(report)
    assert metadata["expectations_evaluated"].value == 3 and metadata["expectations_failed"].value == 2
    assert metadata["failed_rows/language_bcp47"].value == 3 and metadata["failed_rows/too_many_held_back"].value == 30
    assert "failed_rows/article_id_not_null" not in metadata
    table = metadata["failed_expectations"].value
    assert f"| language_bcp47 | quarantine | 3 of 40 | {description} | a1b2c3 https://news.example/a |" in table
    # an outcome Kabar computes itself (no suite description) is described by its detail
    assert "| too_many_held_back | error | 30 of 40 | too_many_held_back: 30 rows, e.g. row 3 |" in table
    assert metadata["articles_held_back"].value == "language_bcp47 (3)"
    assert metadata["blocking"].value and "warnings" not in metadata
    assert all(str(value.value) != "none" for value in metadata.values())


def test_the_check_links_to_its_tables_section_of_the_loads_quality_page(tmp_path):
    page = tmp_path / "quality" / "runs" / "r1.html"
    metadata = check_metadata(TableReport("quotes", (outcome("language_bcp47"),)), page)
    assert metadata["quality_page"].value == f"{page.as_uri()}#quotes"
    assert "quality_page" not in check_metadata(TableReport("quotes", (outcome("language_bcp47"),)))

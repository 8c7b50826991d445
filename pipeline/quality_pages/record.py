"""One load's validation as plain data: what its page and the index show, kept as JSON so the pages can
be made again without the frames (the examples name articles, not row numbers)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from expectations.checks import ERROR, QUARANTINE, STAGED_SCHEMA
from expectations.suites import SUITES
from expectations.validate import CheckOutcome, TableReport

PASSED, WARNED, FAILED = "passed", "warned", "failed"


@dataclass(frozen=True)
class ExpectationRecord:
    name: str
    severity: str
    description: str
    success: bool
    unexpected_count: int
    element_count: int
    detail: str   # what failed ("" when it passed)
    examples: tuple[tuple[str, str], ...] = ()   # (article_id, url), or (source_id, domain) for sources

    @property
    def status(self) -> str:
        """``failed`` when rows were not loaded (articles held back, or the load blocked), ``warned`` when
        they loaded mended or only noted."""
        if self.success:
            return PASSED
        return FAILED if self.severity in (ERROR, QUARANTINE) else WARNED

    @classmethod
    def of(cls, table: str, outcome: CheckOutcome) -> ExpectationRecord:
        suite = SUITES.get(table)
        checks = {check.name: check.description for check in suite.checks} if suite else {}
        # Computed outcomes (staged columns, the share held back) have no check: their detail says it.
        return cls(outcome.expectation, outcome.severity, checks.get(outcome.expectation) or outcome.detail,
                   outcome.success, outcome.unexpected_count, outcome.element_count,
                   "" if outcome.success else outcome.detail, outcome.examples)


@dataclass(frozen=True)
class TableRecord:
    table: str
    rows: int   # staged rows checked
    expectations: tuple[ExpectationRecord, ...]

    @classmethod
    def of(cls, report: TableReport) -> TableRecord:
        rows = report.outcome(STAGED_SCHEMA).element_count
        return cls(report.table, rows, tuple(ExpectationRecord.of(report.table, o) for o in report.outcomes))


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    run_time: datetime
    tables: tuple[TableRecord, ...]

    @classmethod
    def of(cls, reports: Mapping[str, TableReport], *, run_id: str, run_time: datetime) -> RunRecord:
        return cls(run_id, run_time, tuple(TableRecord.of(report) for report in reports.values()))

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def count(self, status: str) -> int:
        return sum(e.status == status for table in self.tables for e in table.expectations)

    def to_json(self) -> dict:
        return {**asdict(self), "run_time": self.run_time.isoformat()}

    @classmethod
    def from_json(cls, value: dict) -> RunRecord:
        tables = tuple(
            TableRecord(t["table"], t["rows"], tuple(
                ExpectationRecord(**{**e, "examples": tuple(tuple(pair) for pair in e["examples"])})
                for e in t["expectations"]))
            for t in value["tables"])
        return cls(value["run_id"], datetime.fromisoformat(value["run_time"]), tables)

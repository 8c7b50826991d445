"""Validate a batch's staged frames with Great Expectations.

GX has no polars engine: each table's frame gets its derived columns in polars (``suites``), is
cut to the columns its checks read and handed to GX as a pandas frame, once, with the table's
suite. GX is imported on first use only (it costs seconds) and one ephemeral context serves the
whole process. A table with no staged row whose checks all judge rows one by one (``ROW_WISE``)
passes them without GX: a re-run of loaded input stages nothing, and importing GX to judge no row
was 2.6 s of its 8.3 s. What failing rows mean for their articles is ``expectations.quarantine``'s work.

Typical use::

    reports = validate_batch(frames, now=now, known_article_ids=loaded_ids)
    settled = quarantine(frames, reports, rejected_at=now)
    if settled.blocked:
        raise ...  # do not load
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, UTC
from functools import lru_cache
from types import SimpleNamespace

import polars as pl

from expectations.checks import (
    ERROR, GX_SEVERITY, QUARANTINE, REPAIR, STAGED_SCHEMA, WARN, Check, Severity, StagedBatch, Suite,
)
from expectations.suites import SUITES
from transforms.schemas import TABLES

# COMPLETE gives every failing row's index (``unexpected_index_list``) on a pandas batch.
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "partial_unexpected_count": 5,
    "return_unexpected_index_query": False,
}

# GX expectations that judge each row on its own (GX's column-map, column-pair-map and multicolumn-map
# expectations): on a frame with no row they judge nothing and pass, element_count 0, unexpected_count 0.
# A table-level expectation (a row count, a column mean) is not here: it says something about an empty
# frame, so a suite holding one goes to GX even with no row. tests/unit/test_expectations.py asserts
# that these are GX map expectations and that GX gives the same outcomes on empty frames.
ROW_WISE = frozenset({
    "ExpectColumnValuesToNotBeNull", "ExpectColumnValuesToBeUnique", "ExpectColumnValuesToBeInSet",
    "ExpectColumnValuesToMatchRegex", "ExpectColumnValuesToBeBetween", "ExpectCompoundColumnsToBeUnique",
    "ExpectColumnPairValuesToBeEqual", "ExpectColumnPairValuesAToBeGreaterThanB",
})

_META_NAME = "kabar_check"
_META_SEVERITY = "kabar_severity"
_EXAMPLES = 3


@dataclass(frozen=True)
class CheckOutcome:
    table: str
    expectation: str  # the check's name (a rejects row's reason)
    severity: Severity  # "quarantine" | "repair" | "error" | "warn"
    success: bool
    unexpected_count: int
    element_count: int
    detail: str  # what failed, naming a few of the failing rows' articles (or sources)
    failed_rows: tuple[int, ...] = ()  # row indices in the input frame
    # (article_id, url) of up to three failing rows, so a reader can open the article; for ``sources``
    # (source_id, domain). Empty when the check passed or could not run.
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableReport:
    table: str
    outcomes: tuple[CheckOutcome, ...]

    @property
    def failures(self) -> tuple[CheckOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.success)

    @property
    def blocking(self) -> bool:
        """Any ``error`` outcome failed: the batch must not be loaded."""
        return any(o.severity == ERROR for o in self.failures)

    @property
    def errors(self) -> tuple[CheckOutcome, ...]:
        return tuple(o for o in self.failures if o.severity == ERROR)

    @property
    def warnings(self) -> tuple[CheckOutcome, ...]:
        return tuple(o for o in self.failures if o.severity == WARN)

    @property
    def quarantines(self) -> tuple[CheckOutcome, ...]:
        return tuple(o for o in self.failures if o.severity == QUARANTINE)

    @property
    def repairs(self) -> tuple[CheckOutcome, ...]:
        return tuple(o for o in self.failures if o.severity == REPAIR)

    def with_outcome(self, outcome: CheckOutcome) -> TableReport:
        """This report with one more (computed, not GX) outcome."""
        return TableReport(self.table, self.outcomes + (outcome,))

    @property
    def success(self) -> bool:
        return not self.failures

    def outcome(self, expectation: str) -> CheckOutcome:
        for o in self.outcomes:
            if o.expectation == expectation:
                return o
        raise KeyError(f"{self.table} has no outcome {expectation!r}")


# --- the GX side ------------------------------------------------------------------------------

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _gx() -> SimpleNamespace:
    """The process's GX objects: ephemeral context, one pandas datasource, a batch definition and
    a suite per table."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas("kabar_staged")
    batch_definitions, suites = {}, {}
    for table, suite in SUITES.items():
        asset = datasource.add_dataframe_asset(table)
        batch_definitions[table] = asset.add_batch_definition_whole_dataframe("whole_frame")
        suites[table] = context.suites.add(gx_suite(suite, gx))
    return SimpleNamespace(gx=gx, context=context, batch_definitions=batch_definitions, suites=suites)


def gx_context():
    """The cached ephemeral GX context (created, with GX imported, on first call)."""
    with _lock:
        return _gx().context


def gx_suite(suite: Suite, gx=None):
    """The GX ExpectationSuite for ``suite`` (one expectation per check, named in its meta)."""
    if gx is None:
        import great_expectations as gx
    expectations = [_gx_expectation(gx, check) for check in suite.checks]
    return gx.ExpectationSuite(name=suite.table, expectations=expectations)


def _gx_expectation(gx, check: Check):
    cls = getattr(gx.expectations, check.expectation)
    return cls(
        **dict(check.kwargs),
        meta={_META_NAME: check.name, _META_SEVERITY: check.severity},
        severity=GX_SEVERITY[check.severity],
        # GX renders the description instead of its own sentence ("$" would start a template
        # variable there: descriptions avoid it).
        description=f"{check.name} [{check.severity}]: {check.description}",
    )


# --- validation -------------------------------------------------------------------------------


def validate_batch(
    frames: Mapping[str, pl.DataFrame],
    *,
    now: datetime,
    known_article_ids: Iterable[str] = frozenset(),
    known_source_ids: Iterable[str] = frozenset(),
) -> dict[str, TableReport]:
    """Validate every staged table (a missing one as an empty frame) with its suite.

    ``known_*_ids``: ids already in the warehouse that staged rows may refer to.
    Returns a report per table, in ``SUITES`` order, each ending with the ``staged_columns_match``
    outcome (the frame has the table's columns and types: a batch-wide error otherwise).
    """
    batch = StagedBatch(
        frames=frames,
        now=_utc(now),
        known_article_ids=frozenset(known_article_ids),
        known_source_ids=frozenset(known_source_ids),
    )
    schemas = {table: schema_outcome(table, batch.table(table)) for table in SUITES}
    reports = {table: _validate_table(suite, batch) if all(o.success for o in schemas.values())
               else _not_run(suite, batch.table(table).height, "staged columns do not match (see staged_columns_match)")
               for table, suite in SUITES.items()}
    return {table: report.with_outcome(schemas[table]) for table, report in reports.items()}


def schema_outcome(table: str, staged: pl.DataFrame) -> CheckOutcome:
    """Whether ``staged`` holds every column of ``table`` with its type (extra columns are not loaded)."""
    wrong = [f"{column} ({'missing' if column not in staged.columns else staged.schema[column]}, not {dtype})"
             for column, dtype in TABLES[table].items()
             if column not in staged.columns or staged.schema[column] != dtype]
    detail = ("staged columns match the table" if not wrong
              else f"staged columns do not match the table: {', '.join(wrong)}")
    return CheckOutcome(table, STAGED_SCHEMA, ERROR, not wrong, len(wrong), staged.height, detail)


def _not_run(suite: Suite, height: int, why: str) -> TableReport:
    """Every check of ``suite`` failed as an error that could not run (a batch-wide problem)."""
    return TableReport(suite.table, tuple(CheckOutcome(suite.table, check.name, ERROR, False, 0, height,
                                                       f"{check.name} ({check.severity}) could not run: {why}")
                                          for check in suite.checks))


def _validate_table(suite: Suite, batch: StagedBatch) -> TableReport:
    table = batch.table(suite.table)
    if passes_without_rows(suite, table):
        return TableReport(suite.table, tuple(CheckOutcome(suite.table, check.name, check.severity, True, 0, 0,
                                                           _passed(check, 0)) for check in suite.checks))
    derived = suite.derive(table, batch) if suite.derive else table
    if derived.height != table.height:
        raise RuntimeError(f"{suite.table}: derive changed the row count")
    needed = list(dict.fromkeys(c for check in suite.checks for c in check.columns))
    pdf = derived.select([c for c in needed if c in derived.columns]).to_pandas()
    parameters = suite.parameters(batch) if suite.parameters else None
    with _lock:  # one GX context per process; keep its use serial
        gxo = _gx()
        gx_batch = gxo.batch_definitions[suite.table].get_batch(batch_parameters={"dataframe": pdf})
        result = gx_batch.validate(
            gxo.suites[suite.table], result_format=RESULT_FORMAT, expectation_parameters=parameters
        )
    by_name = {(r.expectation_config.meta or {}).get(_META_NAME): r for r in result.results}
    named = _Names(suite.table, table, batch)
    outcomes = tuple(
        _outcome(suite.table, check, by_name.get(check.name), derived, named)
        for check in suite.checks
    )
    return TableReport(suite.table, outcomes)


def passes_without_rows(suite: Suite, staged: pl.DataFrame) -> bool:
    """Whether GX would pass every check of ``suite`` on ``staged`` without looking at a value: the frame
    has no row and every check is ``ROW_WISE``. Its columns are the table's (``schema_outcome`` passed),
    and ``derive`` adds the others whatever the rows (tests/unit/test_expectations.py runs GX on each
    suite's derived empty frame), so it is not derived: building the language check's code list alone
    took 0.15 s of a re-run that staged nothing."""
    return staged.height == 0 and all(check.expectation in ROW_WISE for check in suite.checks)


def _passed(check: Check, element_count: int) -> str:
    return f"ok ({element_count} rows): {check.description}"


class _Names:
    """Who a failing row is about, for readers who look the article up, not a row number: the
    article's id and URL (a child row's article is found among the staged articles), or for
    ``sources`` the source's id and domain."""

    def __init__(self, table: str, staged: pl.DataFrame, batch: StagedBatch):
        self.staged, self.height = staged, staged.height
        if table == "sources":
            self.kind, self.key, self.link = "source", "source_id", "domain"
        else:
            self.kind, self.key, self.link = "article", "article_id", "url"
        self._urls: dict[str, str] | None = None if table in ("articles", "sources") else {
            article_id: url for article_id, url in batch.table("articles").select("article_id", "url").iter_rows()
            if article_id is not None}

    def example(self, index: int) -> tuple[str, str]:
        """(id, url) of row ``index``; "" for what is unknown."""
        key = self._value(index, self.key)
        link = self._value(index, self.link) if self._urls is None else self._urls.get(key, "")
        return key, link

    def describe(self, index: int) -> str:
        key, link = self.example(index)
        return f"{self.kind} {key or '(no id)'}" + (f" <{link}>" if link else "")

    def _value(self, index: int, column: str) -> str:
        value = self.staged[index, column] if column in self.staged.columns else None
        return "" if value is None else str(value)


def _outcome(table: str, check: Check, result, derived: pl.DataFrame, named: _Names) -> CheckOutcome:
    height = named.height
    if result is None:
        return CheckOutcome(table, check.name, ERROR, False, 0, height,
                            f"GX returned no result for {check.name} (expectation dropped?)")
    problem = _exception_message(result.exception_info)
    if problem:
        return CheckOutcome(table, check.name, ERROR, False, 0, height,
                            f"{check.name} ({check.severity}) could not run: {' '.join(problem.split())[:300]}")
    res = result.result or {}
    element_count = int(res.get("element_count", height))
    unexpected_count = int(res.get("unexpected_count", 0 if result.success else 1))
    rows = tuple(sorted(int(i) for i in res.get("unexpected_index_list") or ()))
    if result.success:
        detail = _passed(check, element_count)
    else:
        examples = "; ".join(
            f"{named.describe(i)}: {describe_row(derived, i, check.shown_columns)}" for i in rows[:_EXAMPLES]
        )
        detail = (f"{unexpected_count} of {element_count} rows break: {check.description}"
                  + (f" — e.g. {examples}" if examples else ""))
    return CheckOutcome(table, check.name, check.severity, bool(result.success), unexpected_count, element_count,
                        detail, rows, tuple(named.example(i) for i in rows[:_EXAMPLES]))


def _exception_message(info) -> str | None:
    """GX puts ``{raised_exception, exception_message}`` either at the top level or, when a
    metric failed, under one key per metric."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def describe_row(df: pl.DataFrame, index: int, columns: Iterable[str]) -> str:
    """``col=value, ...`` for one row (values shortened), for details and rejects."""
    parts = []
    for c in columns:
        if c in df.columns:
            value = df[index, c]
            text = value.isoformat() if isinstance(value, datetime) else repr(value)
            parts.append(f"{c}={text if len(text) <= 60 else text[:57] + '...'}")
    return ", ".join(parts)


def _utc(moment: datetime) -> datetime:
    """Aware datetimes in UTC; a naive one is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

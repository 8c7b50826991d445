"""Validate a batch's staged frames with Great Expectations and build Data Docs.

GX has no polars engine: each table's frame gets its derived columns in polars (``suites``), is
cut to the columns its checks read and handed to GX as a pandas frame, once, with the table's
suite. GX is imported on first use only (it costs seconds) and one ephemeral context serves the
whole process. What failing rows mean for their articles is ``expectations.quarantine``'s work.

Typical use::

    reports = validate_batch(frames, now=now, known_article_ids=loaded_ids)
    settled = quarantine(frames, reports, rejected_at=now)
    if settled.blocked:
        raise ...  # do not load
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, UTC
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

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
    detail: str  # what failed, with a few example rows
    failed_rows: tuple[int, ...] = ()  # row indices in the input frame


@dataclass(frozen=True)
class TableReport:
    table: str
    outcomes: tuple[CheckOutcome, ...]
    # The GX ExpectationSuiteValidationResult (for Data Docs); None for a table without one.
    gx_result: Any = field(default=None, compare=False, repr=False)

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
        return TableReport(self.table, self.outcomes + (outcome,), self.gx_result)

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
    return SimpleNamespace(gx=gx, context=context, batch_definitions=batch_definitions,
                           suites=suites, sites={})


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
        # Data Docs show the description instead of GX's own sentence ("$" would start a
        # template variable there: descriptions avoid it).
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
    with _lock:  # one GX context per process; keep its use serial
        gxo = _gx()
        reports = {table: _validate_table(gxo, suite, batch) if all(o.success for o in schemas.values())
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


def _validate_table(gxo: SimpleNamespace, suite: Suite, batch: StagedBatch) -> TableReport:
    table = batch.table(suite.table)
    derived = suite.derive(table, batch) if suite.derive else table
    if derived.height != table.height:
        raise RuntimeError(f"{suite.table}: derive changed the row count")
    needed = list(dict.fromkeys(c for check in suite.checks for c in check.columns))
    pdf = derived.select([c for c in needed if c in derived.columns]).to_pandas()
    gx_batch = gxo.batch_definitions[suite.table].get_batch(batch_parameters={"dataframe": pdf})
    parameters = suite.parameters(batch) if suite.parameters else None
    result = gx_batch.validate(
        gxo.suites[suite.table], result_format=RESULT_FORMAT, expectation_parameters=parameters
    )
    by_name = {(r.expectation_config.meta or {}).get(_META_NAME): r for r in result.results}
    outcomes = tuple(
        _outcome(suite.table, check, by_name.get(check.name), derived, table.height)
        for check in suite.checks
    )
    return TableReport(suite.table, outcomes, result)


def _outcome(table: str, check: Check, result, derived: pl.DataFrame, height: int) -> CheckOutcome:
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
        detail = f"ok ({element_count} rows): {check.description}"
    else:
        examples = "; ".join(
            f"row {i}: {describe_row(derived, i, check.shown_columns)}" for i in rows[:_EXAMPLES]
        )
        detail = (f"{unexpected_count} of {element_count} rows break: {check.description}"
                  + (f" — e.g. {examples}" if examples else ""))
    return CheckOutcome(table, check.name, check.severity, bool(result.success),
                        unexpected_count, element_count, detail, rows)


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


# --- Data Docs --------------------------------------------------------------------------------


def build_data_docs(reports_or_results, directory: Path) -> Path:
    """Write a GX Data Docs site for these validation results under ``directory``.

    ``reports_or_results``: the reports of ``validate_batch`` (a dict or an iterable), or GX
    ExpectationSuiteValidationResults. The site shows only these results (the last validation).
    Returns the site's ``index.html``; it opens offline (styles come from CDNs when online).
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier,
    )

    results = _gx_results(reports_or_results)
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    with _lock:
        gxo = _gx()
        context = gxo.context
        store = context.validation_results_store
        for key in store.list_keys():
            store.remove_key(key)
        run_time = datetime.now(UTC)
        run_id = RunIdentifier(run_name=f"kabar-{run_time:%Y%m%dT%H%M%SZ}", run_time=run_time)
        for result in results:
            result.meta["run_id"] = run_id
            result.meta["validation_time"] = run_time
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
                run_id=run_id,
                batch_identifier=result.suite_name,
            )
            store.set(key, result)
        site = gxo.sites.get(directory)
        if site is None:
            site = f"kabar_{hashlib.sha256(str(directory).encode()).hexdigest()[:12]}"
            context.add_data_docs_site(site, {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                  "base_directory": str(directory)},
                "show_how_to_buttons": False,
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder",
                                       "show_cta_footer": False},
            })
            gxo.sites[directory] = site
        context.build_data_docs(site_names=[site])
    index = directory / "index.html"
    if not index.exists():
        raise RuntimeError(f"GX did not write {index}")
    return index


def _gx_results(reports_or_results) -> list:
    if isinstance(reports_or_results, Mapping):
        items = list(reports_or_results.values())
    elif isinstance(reports_or_results, (TableReport,)) or hasattr(reports_or_results, "results"):
        items = [reports_or_results]
    else:
        items = list(reports_or_results)
    results = []
    for item in items:
        result = item.gx_result if isinstance(item, TableReport) else item
        if result is not None:
            results.append(result)
    if not results:
        raise ValueError("no GX validation results to document")
    return results


def _utc(moment: datetime) -> datetime:
    """Aware datetimes in UTC; a naive one is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

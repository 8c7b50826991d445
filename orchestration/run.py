"""Run one of Kabar's jobs through Dagster from the CLI and summarise what happened."""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from orchestration.defs.ingest import IngestConfig
from orchestration.defs.load import REPORT
from orchestration.interrupts import repeated_interrupts
from orchestration.executors import execution_config, start_step_server, step_preload
from orchestration.follow import following
from orchestration.dead_runs import release_dead_runs, run_tags
from orchestration.run_contents import input_tags
from orchestration.settings import prepare_dagster_home
from pipeline.config import Config
from pipeline.report import LoadReport
from transforms.progress import Tick
from transforms.schemas import SUMMARY_TABLES


_NOT_READ_SHOWN = 10
OnTick = Callable[[Tick], None] | None   # where a run's progress goes (None: nowhere)


@dataclass
class RunSummary:
    """What a user needs after a run: where every document went and what the checks said."""

    run_id: str
    report: LoadReport = field(default_factory=LoadReport)
    checks: list[tuple[str, str, str]] = field(default_factory=list)
    warehouse: Path | None = None
    failure: str | None = None
    interrupted: bool = False   # Ctrl-C reached a step (Dagster stops the run and reports it failed)
    command: str = "kabar"
    released_runs: list[str] = field(default_factory=list)

    def render(self) -> str:
        report = self.report
        accounted = "every one accounted for" if report.accounted else "NOT ALL ACCOUNTED FOR"
        lines = [f"Kabar run {self.run_id}"]
        lines += [f"  marked failed     run {run_id}: its process died before it finished" for run_id in self.released_runs]
        lines += [f"  not read          {len(report.not_read):>7}  (not regular files)"] if report.not_read else []
        lines += [f"    {path}: {why}" for path, why in report.not_read[:_NOT_READ_SHOWN]]
        lines += [f"    … and {len(report.not_read) - _NOT_READ_SHOWN} more (the run's log lists them)"
                  ] if len(report.not_read) > _NOT_READ_SHOWN else []
        if report.records_skipped:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.records_skipped.items()))
            lines.append(f"  WARC records not pages {sum(report.records_skipped.values()):>2}  ({kinds})")
        lines += [f"  staged units      {len(report.units):>7}"] if len(report.units) > 1 else []
        lines += [f"  documents in      {report.documents_in:>7}  (distinct {report.distinct_documents}; {accounted})",
                  f"  already loaded    {report.already_seen:>7}",
                  f"  duplicates        {report.duplicates:>7}  (same bytes as another input)",
                  f"  articles          {report.articles:>7}",
                  f"  rejects           {report.rejected_documents:>7}"
                  + ("  (documents; one held back by several checks is listed under each)"
                     if sum(report.rejects.values()) > report.rejected_documents else "")]
        width = max([22, *(len(reason) + 1 for reason in report.rejects)])
        lines += [f"    {reason:<{width}}{count:>5}" for reason, count in sorted(report.rejects.items())]
        lines += [f"  {table:<17} {report.staged.get(table, 0):>7}" for table in SUMMARY_TABLES]
        if self.checks:
            lines.append("  checks")
            width = max(len(name) for name, _, _ in self.checks) + 2
            lines += [f"    {name:<{width}}{status:<8}{detail}" for name, status, detail in self.checks]
        if report.totals:
            lines.append("  warehouse totals  " + ", ".join(f"{t} {n}" for t, n in report.totals.items()))
        if self.warehouse:
            lines.append(f"  warehouse         {self.warehouse}")
            lines.append(f'  query it          {self.command} sql "select title, published_at from articles limit 5"')
            lines.append(f"  or export         {self.command} export --parquet DIR")
            lines.append(f'  search it         {self.command} search "KEYWORDS"')
            lines.append(f"  see it as charts  {self.command} report")
        if report.quality_page:
            lines.append(f"  quality page      {report.quality_page}")
        if self.failure:
            lines.append(f"  FAILED            {self.failure}")
        return "\n".join(lines)


def run_pipeline(config: Config, *, paths: list[Path], reprocess: bool = False, workers: int = 1,
                 on_tick: OnTick = None) -> RunSummary:
    """One run of the whole graph (ingest, chunks, load), recorded in the Kabar Dagster instance; the
    chunk steps run on ``workers`` processes (1: in this process); its progress handed to ``on_tick``."""
    ingest = IngestConfig(paths=[str(path) for path in paths], reprocess=reprocess)
    return _run_job(config, "kabar_run_job", dg.RunConfig(ops={"raw_documents": ingest}), workers, ingest.tags(config),
                    on_tick)


def job_for(config_json: str, job_name: str) -> dg.JobDefinition:
    """``job_name`` wired to a resolved configuration: how step processes rebuild the CLI's job."""
    from orchestration.definitions import build_definitions

    return build_definitions(Config.from_json(config_json)).resolve_job_def(job_name)


def _execute(config: Config, job_name: str, run_config: dg.RunConfig, workers: int, tags: dict[str, str],
             on_tick: OnTick):
    """Run one of Kabar's jobs from this process on the executor ``workers`` calls for, recorded in the
    Kabar instance with ``tags`` (what it processes), its progress followed for ``on_tick``. Returns the
    result and the runs released on the way."""
    preload = step_preload(InstanceRef.from_dir(str(prepare_dagster_home(config))))
    job = dg.build_reconstructable_job("orchestration.run", "job_for", (config.to_json(), job_name))
    # The summary and one `kabar:` line are the console output; step logs, warnings and stack traces
    # stay in the instance for `kabar ui`.
    with dg.DagsterInstance.get() as instance, _stderr_to(config.home / "logs" / "steps.log"):
        if workers > 1 and not config.celery_broker:   # its step processes inherit the redirected stderr
            start_step_server(preload)
        run_config = dg.RunConfig(ops=run_config.ops, execution=execution_config(workers, preload, celery_broker=config.celery_broker),
                                  loggers={"console": {"config": {"log_level": "CRITICAL"}}})
        released = release_dead_runs(instance)
        with repeated_interrupts() as interrupted, following(instance, run_tags(), on_tick):
            # The events are read off the result as it is: opening it (``with``) would initialise the
            # run's resources again, for outputs the summary does not read, and log that after the run ended.
            result = dg.execute_job(job, instance=instance, run_config=run_config.to_config_dict(),
                                    tags={**run_tags(), **tags}, raise_on_error=False)
        return _Finished(result.run_id, result.success, result.get_step_failure_events(),
                         result.get_asset_materialization_events(), result.get_asset_check_evaluations(),
                         interrupted.is_set()), released


@contextmanager
def _stderr_to(log: Path) -> Iterator[None]:
    """Standard error into ``log`` while the run executes: step processes announce themselves there
    with Dagster's default logger (run config cannot quiet it), and the console is for the summary."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as target:
        os.dup2(target.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@dataclass(frozen=True)
class _Finished:
    """The events of a finished run the summary reads."""

    run_id: str
    success: bool
    step_failures: list
    materializations: list
    check_evaluations: list
    interrupted: bool


def _run_job(config: Config, job_name: str, run_config: dg.RunConfig, workers: int, tags: dict[str, str],
             on_tick: OnTick = None) -> RunSummary:
    """Run one of Kabar's jobs, tagged with what it processes, and summarise it."""
    result, released = _execute(config, job_name, run_config, workers, tags, on_tick)
    summary = RunSummary(run_id=result.run_id, warehouse=config.warehouse, released_runs=released,
                         report=_load_report(result) or LoadReport())
    _add_checks(summary, result)
    summary.failure = _failure(summary, result, config)
    return summary


def _load_report(result: _Finished) -> LoadReport | None:
    """The load step's report: from the loaded ``core/articles``, or from the failure of a blocked load."""
    for event in result.materializations:
        materialization = event.event_specific_data.materialization
        if REPORT in materialization.metadata:
            return LoadReport.from_json(materialization.metadata[REPORT].value)
    for event in result.step_failures:
        failure_data = event.event_specific_data.user_failure_data
        if failure_data is not None and REPORT in failure_data.metadata:
            return LoadReport.from_json(failure_data.metadata[REPORT].value)
    return None


def _add_checks(summary: RunSummary, result: _Finished) -> None:
    for evaluation in result.check_evaluations:
        severity = evaluation.severity.value if evaluation.severity else ""
        status = "passed" if evaluation.passed else ("FAILED" if severity == "ERROR" else "warning")
        meta = {name: str(value.value) for name, value in evaluation.metadata.items()}
        if status == "FAILED":
            detail = meta.get("blocking", "")
        elif status == "warning":
            detail = meta.get("warnings", "")
        else:
            held = meta.get("articles_held_back", "none")
            detail = f"articles held back: {held}" if held != "none" else ""
        summary.checks.append((evaluation.check_name, status, detail))


def _failure(summary: RunSummary, result: _Finished, config: Config) -> str | None:
    from orchestration.errors import disk_full_message, serialised_errors

    report = summary.report
    if result.interrupted:
        summary.interrupted = True
        return "interrupted"
    if report.blocked:
        blocked = [(name, detail) for name, status, detail in summary.checks if status == "FAILED"]
        reason = "; ".join(f"{name}: {detail}" for name, detail in blocked) or report.blocked
        return f"load blocked, nothing loaded: {reason} (staged work set aside in {report.set_aside})"
    for event in result.step_failures:
        error = event.event_specific_data.error
        if any(name == "DagsterExecutionInterruptedError" for name in _error_classes(error)):
            summary.interrupted = True
            return "interrupted"
        places = [config.home, config.warehouse.parent, Path(tempfile.gettempdir())]
        return disk_full_message(serialised_errors(error), places) or (
            f"step {event.step_key} failed: {_root_cause(error)} (details: `{summary.command} ui`, run {summary.run_id})")
    if not result.success:
        return f"the run did not succeed (details: `{summary.command} ui`, run {summary.run_id})"
    if report.documents_in and not report.articles and not report.already_seen and not report.duplicates:
        return "no document could be processed (all rejected)"
    return None


def run_backfill(config: Config, *, archives: list[str | Path], partitions: list[str], workers: int,
                 hosts: tuple[str, ...] = (), on_tick: OnTick = None) -> RunSummary:
    """Register ``archives`` (paths or URLs, keeping only records of ``hosts`` when given) as dynamic
    partitions (so each can be re-run from the UI), then one run that stages them and ``partitions``
    (keys already registered), one step per archive on ``workers`` processes, and loads everything staged."""
    from orchestration.defs.backfill import WARC_PARTITIONS, BackfillConfig
    from pipeline.archive import open_registry

    prepare_dagster_home(config)
    keys = list(dict.fromkeys(open_registry(config).register(archives, hosts) + partitions))
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(WARC_PARTITIONS.name, [key for key in keys if not instance.has_dynamic_partition(
            WARC_PARTITIONS.name, key)])
    run_config = dg.RunConfig(ops={"staged_archives": {"ops": {"archives_to_stage": BackfillConfig(partitions=keys)}}})
    return _run_job(config, "backfill_job", run_config, workers if len(keys) > 1 else 1, input_tags(keys), on_tick)


def _error_classes(error) -> list[str]:
    """The class names along a serialised error's chain of causes."""
    names = []
    while error is not None:
        names.append(error.cls_name or "")
        error = error.cause
    return names


def _root_cause(error) -> str:
    """The root cause's first line ("ValueError: …"), not Dagster's wrapper around it; a step's own
    ``dagster.Failure`` is already a message for the user, so it comes without the class name."""
    while error is not None and error.cause is not None:
        error = error.cause
    lines = error.message.strip().splitlines() if error else []
    if not lines:
        return "unknown error"
    return lines[0].partition(": ")[2] or lines[0] if error.cls_name == "Failure" else lines[0]

"""Run the asset graph once through Dagster and summarise what happened."""
from __future__ import annotations

import os
import socket
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration.orphans import process_alive
from orchestration.parallel import pooled_map
from orchestration.settings import Settings, prepare_dagster_home


_HOST_TAG, _PID_TAG = "kabar/host", "kabar/pid"
_NOT_READ_SHOWN = 10


@dataclass
class RunSummary:
    """What a user needs after a run: where every document went and what the checks said."""

    run_id: str
    documents_in: int = 0
    distinct_documents: int = 0
    already_seen: int = 0
    duplicates: int = 0
    articles: int = 0
    rejects: dict[str, int] = field(default_factory=dict)   # reject rows by reason
    rejected_documents: int = 0   # documents with a reject: one held back by two checks has two rows
    staged: dict[str, int] = field(default_factory=dict)
    checks: list[tuple[str, str, str]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    warehouse: Path | None = None
    data_docs: Path | None = None
    failure: str | None = None
    interrupted: bool = False   # Ctrl-C reached a step (Dagster stops the run and reports it failed)
    command: str = "kabar"
    released_runs: list[str] = field(default_factory=list)
    not_read: list[tuple[str, str]] = field(default_factory=list)   # (path, why): inputs that are not files
    records_skipped: dict[str, int] = field(default_factory=dict)   # WARC records that are not pages, by kind

    @property
    def accounted(self) -> bool:
        """articles + rejected documents + duplicates + already seen = documents in."""
        return self.articles + self.rejected_documents + self.duplicates + self.already_seen == self.documents_in

    def render(self) -> str:
        accounted = "every one accounted for" if self.accounted else "NOT ALL ACCOUNTED FOR"
        lines = [f"Kabar run {self.run_id}"]
        lines += [f"  marked failed     run {run_id}: its process died before it finished" for run_id in self.released_runs]
        lines += [f"  not read          {len(self.not_read):>7}  (not regular files)"] if self.not_read else []
        lines += [f"    {path}: {why}" for path, why in self.not_read[:_NOT_READ_SHOWN]]
        lines += [f"    … and {len(self.not_read) - _NOT_READ_SHOWN} more (the run's log lists them)"
                  ] if len(self.not_read) > _NOT_READ_SHOWN else []
        if self.records_skipped:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.records_skipped.items()))
            lines.append(f"  WARC records not pages {sum(self.records_skipped.values()):>2}  ({kinds})")
        lines += [f"  documents in      {self.documents_in:>7}  (distinct {self.distinct_documents}; {accounted})",
                  f"  already loaded    {self.already_seen:>7}",
                  f"  duplicates        {self.duplicates:>7}  (same bytes as another input)",
                  f"  articles          {self.articles:>7}",
                  f"  rejects           {self.rejected_documents:>7}"
                  + ("  (documents; one held back by several checks is listed under each)"
                     if sum(self.rejects.values()) > self.rejected_documents else "")]
        width = max([22, *(len(reason) + 1 for reason in self.rejects)])
        lines += [f"    {reason:<{width}}{count:>5}" for reason, count in sorted(self.rejects.items())]
        for table in ("entities", "entity_mentions", "quotes", "sources", "article_sources"):
            lines.append(f"  {table:<17} {self.staged.get(table, 0):>7}")
        if self.checks:
            lines.append("  checks")
            lines += [f"    {name:<24}{status:<8}{detail}" for name, status, detail in self.checks]
        if self.totals:
            lines.append("  warehouse totals  " + ", ".join(f"{t} {n}" for t, n in self.totals.items()))
        if self.warehouse:
            lines.append(f"  warehouse         {self.warehouse}")
            lines.append(f'  query it          {self.command} sql "select title, published_at from articles limit 5"')
            lines.append(f"  or export         {self.command} export --parquet DIR")
        if self.data_docs:
            lines.append(f"  data docs         {self.data_docs}")
        if self.failure:
            lines.append(f"  FAILED            {self.failure}")
        return "\n".join(lines)


def run_pipeline(settings: Settings, *, paths: list[Path], reprocess: bool = False) -> RunSummary:
    """Materialise the whole graph in-process, recorded in the Kabar Dagster instance."""
    return _run_job(settings, "kabar_run_job", {
        "ops": {"raw_documents": {"config": {"paths": [str(p) for p in paths], "reprocess": reprocess}}}})


def _execute(settings: Settings, job_name: str, run_config: dict, **options):
    """Run one of Kabar's jobs in this process, recorded in the Kabar instance; ``options`` go to the
    resource (``workers``) and to ``execute_in_process`` (``partition_key``). Returns the result and
    the runs released on the way."""
    prepare_dagster_home(settings)
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.resources import KabarResource

    limits = {"workers": options["workers"]} if "workers" in options else {}
    kabar = KabarResource.from_settings(settings, **limits)
    job = build_definitions(kabar).resolve_job_def(job_name)
    # The summary and one `kabar:` line are the console output; step logs, warnings and stack traces
    # stay in the instance for `kabar ui`.
    run_config = {**run_config, "loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    with dg.DagsterInstance.get() as instance:
        released = release_dead_runs(instance)
        result = job.execute_in_process(run_config=run_config, instance=instance, raise_on_error=False,
                                        partition_key=options.get("partition_key"),
                                        tags={_HOST_TAG: socket.gethostname(), _PID_TAG: str(os.getpid())})
    return result, released


def _run_job(settings: Settings, job_name: str, run_config: dict) -> RunSummary:
    """Run one of Kabar's jobs in this process and summarise it."""
    from warehouse.io import open_warehouse, table_counts

    result, released = _execute(settings, job_name, run_config)
    summary = RunSummary(run_id=result.run_id, warehouse=settings.warehouse, released_runs=released)
    _add_documents(summary, result)
    _add_loaded_partitions(summary, result)
    _add_checks(summary, result)
    summary.failure = _failure(summary, result, settings)
    if settings.warehouse.exists():
        with open_warehouse(settings.warehouse, wait_seconds=settings.busy_timeout_seconds) as con:
            summary.totals = table_counts(con)
    docs_index = settings.data_docs_dir / "index.html"
    summary.data_docs = docs_index if docs_index.exists() else None
    return summary


def release_dead_runs(instance) -> list[str]:
    """Mark as failed the CLI runs on this host whose process died (killed, out of memory), which
    frees the single `warehouse` writer slot they held; otherwise every later run would wait for it."""
    import dagster as dg

    released = []
    running = dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
                            tags={_HOST_TAG: socket.gethostname()})
    for run in instance.get_runs(filters=running):
        pid = int(run.tags.get(_PID_TAG, "0"))
        if pid and not process_alive(pid):
            instance.report_run_failed(run, message=f"its process {pid} ended before the run finished")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            released.append(run.run_id)
    return released


def _output(result, node: str, name: str = "result"):
    try:
        return result.output_for_node(node, name)
    except Exception:  # the step did not run (an earlier step failed or a check blocked it)
        return None


def _add_documents(summary: RunSummary, result) -> None:
    summary.not_read = [(item["path"], item["why"]) for item in _metadata(result, "raw_documents", "inputs_not_read") or []]
    summary.records_skipped = _metadata(result, "raw_documents", "warc_records_skipped") or {}
    manifest = _output(result, "raw_documents")
    if manifest is None:
        return
    statuses = Counter(manifest["status"].to_list())
    summary.documents_in = manifest.height
    summary.distinct_documents = manifest["document_id"].n_unique()
    summary.duplicates, summary.already_seen = statuses["duplicate"], statuses["seen"]
    staged = {t: _output(result, "staged_tables", t) for t in
              ("articles", "entities", "entity_mentions", "quotes", "sources", "article_sources", "rejects")}
    summary.staged = {t: f.height for t, f in staged.items() if isinstance(f, pl.DataFrame)}
    summary.articles = summary.staged.get("articles", 0)
    if isinstance(staged["rejects"], pl.DataFrame):
        summary.rejects = dict(Counter(staged["rejects"]["reason"].to_list()))
        summary.rejected_documents = staged["rejects"]["document_id"].n_unique()


def _metadata(result, asset: str, key: str):
    """A metadata value of ``asset``'s materialisation in this run, or None."""
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path == [asset] and key in materialization.metadata:
            return materialization.metadata[key].value
    return None


def _add_loaded_partitions(summary: RunSummary, result) -> None:
    """The figures of a WARC load run (``warc_loaded``'s metadata), in the summary's terms."""
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path != ["warc_loaded"]:
            continue
        meta = {name: value.value for name, value in materialization.metadata.items()}
        summary.already_seen = meta["documents_seen_before"]
        summary.documents_in = summary.distinct_documents = meta["documents_written"] + summary.already_seen
        summary.articles = meta["articles_written"]
        summary.rejects = meta["rejects_by_reason"]
        summary.rejected_documents = meta["documents_rejected"]
        summary.records_skipped = meta["warc_records_skipped"]
        summary.staged = {table: meta[f"{table}_written"] for table in
                          ("entities", "entity_mentions", "quotes", "sources", "article_sources")}


def _add_checks(summary: RunSummary, result) -> None:
    for evaluation in result.get_asset_check_evaluations():
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


def _failure(summary: RunSummary, result, settings: Settings) -> str | None:
    from orchestration.errors import disk_full_message, serialised_errors

    blocked = [(name, detail) for name, status, detail in summary.checks if status == "FAILED"]
    if blocked:
        return "load blocked, nothing loaded: " + "; ".join(f"{name}: {detail}" for name, detail in blocked)
    for event in result.get_step_failure_events():
        error = event.event_specific_data.error
        if any(name == "DagsterExecutionInterruptedError" for name in _error_classes(error)):
            summary.interrupted = True
            return "interrupted"
        places = [settings.home, settings.warehouse.parent, Path(tempfile.gettempdir())]
        return disk_full_message(serialised_errors(error), places) or (
            f"step {event.step_key} failed: {_root_cause(error)} (details: `{summary.command} ui`, run {summary.run_id})")
    if not result.success:
        return f"the run did not succeed (details: `{summary.command} ui`, run {summary.run_id})"
    if summary.documents_in and not summary.articles and not summary.already_seen and not summary.duplicates:
        return "no document could be processed (all rejected)"
    return None


@dataclass
class BackfillSummary:
    """A backfill: each archive's partition run, then the one load."""

    partitions: dict[str, str] = field(default_factory=dict)   # key -> "staged" or the failure
    load: RunSummary | None = None
    staging_seconds: float = 0.0

    @property
    def failure(self) -> str | None:
        failed = [key for key, status in self.partitions.items() if status != "staged"]
        if failed:
            return f"{len(failed)} archive(s) failed: re-run them alone with `kabar backfill --partition KEY`"
        return self.load.failure if self.load else None

    def render(self) -> str:
        lines = [f"Kabar backfill: {len(self.partitions)} archive(s) staged in {self.staging_seconds:.1f} s"]
        lines += [f"  {key:<48} {status}" for key, status in sorted(self.partitions.items())]
        return "\n".join(lines + ([self.load.render()] if self.load else []))


def run_backfill(settings: Settings, *, archives: list[Path], partitions: list[str], workers: int) -> BackfillSummary:
    """Register ``archives`` as dynamic partitions, stage them (and ``partitions``, keys already
    registered) in up to ``workers`` processes, one Dagster run each, then load everything staged in
    one run of the single writer."""
    import dagster as dg

    from orchestration.defs.backfill import WARC_PARTITIONS, ArchiveRegistry

    prepare_dagster_home(settings)
    keys = ArchiveRegistry(settings.home).register(archives) + partitions
    with dg.DagsterInstance.get() as instance:
        release_dead_runs(instance)
        instance.add_dynamic_partitions(WARC_PARTITIONS.name, [k for k in keys if not instance.has_dynamic_partition(
            WARC_PARTITIONS.name, k)])
    summary = BackfillSummary()
    started = time.perf_counter()
    tasks = [(settings, key) for key in dict.fromkeys(keys)]
    for key, status in pooled_map(_stage_partition, tasks, max(1, workers), start_method="spawn",
                                  on_crash=lambda task, error: (task[1], f"FAILED: its worker process died ({error})")):
        summary.partitions[key] = status
    summary.staging_seconds = time.perf_counter() - started
    summary.load = _run_job(settings, "warc_load_job", {})
    return summary


def _stage_partition(task: tuple[Settings, str]) -> tuple[str, str]:
    """One archive's partition run, in a worker process; whatever breaks fails that archive alone (a
    worker that dies: ``pooled_map`` finds its archive)."""
    try:
        return _run_partition(*task)
    except Exception as error:  # the worker could not even start the run (an import, the instance)
        return task[1], f"FAILED: {type(error).__name__}: {error}"


def _run_partition(settings: Settings, key: str) -> tuple[str, str]:
    """One archive's partition run (one thread of NER: archives are the parallelism)."""
    result, _ = _execute(settings, "warc_partition_job", {}, partition_key=key, workers=1)
    failures = [event.event_specific_data.error for event in result.get_step_failure_events()]
    return key, "staged" if result.success else f"FAILED: {_root_cause(failures[0]) if failures else 'run failed'}"


def _error_classes(error) -> list[str]:
    """The class names along a serialised error's chain of causes."""
    names = []
    while error is not None:
        names.append(error.cls_name or "")
        error = error.cause
    return names


def _root_cause(error) -> str:
    """The root cause's first line ("ValueError: …"), not Dagster's wrapper around it."""
    while error is not None and error.cause is not None:
        error = error.cause
    lines = error.message.strip().splitlines() if error else []
    return lines[0] if lines else "unknown error"

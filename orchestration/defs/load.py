"""Load: the single warehouse writer (``pipeline.load``) as one step, with each table's Great
Expectations suite as an asset check. A run, a backfill and a crawl all end here."""

from pathlib import Path

import dagster as dg

from expectations.validate import TableReport
from orchestration.defs.catalog import OWNERS, layer
from orchestration.defs.check_metadata import check_metadata
from orchestration.defs.metadata import PREVIEW_ROWS, ROW_COUNT, frame_metadata
from orchestration.defs.outlet_health import outlet_health_result, outlet_health_spec
from orchestration.orphans import run_owner
from orchestration.resources import KabarResource
from orchestration.run_contents import loaded_tags
from orchestration.worker_losses import give_up_after_lost_workers
from pipeline.load import load_staged
from transforms.schemas import LOAD_ORDER, REGISTRY, VALIDATED_TABLES
from warehouse.io import open_warehouse

COLUMN_SCHEMA = "dagster/column_schema"
REPORT = "load_report"   # the metadata entry holding the ``LoadReport`` (on core/articles, or on the failure)


def core_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["core", table])


def suite_check_name(table: str) -> str:
    """Name of the asset check that runs ``table``'s suite."""
    return f"{table}_suite"


def column_schema(table: str) -> dg.TableSchema:
    """The catalog's column list of ``table``: names, types and descriptions from the registry."""
    return dg.TableSchema(columns=[dg.TableColumn(column.name, str(column.dtype), description=column.description)
                                   for column in REGISTRY[table].columns])


@dg.multi_asset(
    specs=[dg.AssetSpec(core_key(table), description=REGISTRY[table].description, group_name="warehouse",
                        deps=["staged_chunks", "staged_archives"], kinds={"duckdb", "table"}, owners=OWNERS,
                        tags=layer("warehouse"), metadata={COLUMN_SCHEMA: column_schema(table)})
           for table in LOAD_ORDER],
    check_specs=[dg.AssetCheckSpec(suite_check_name(table), asset=core_key(table), blocking=True,
                                   description=f"Great Expectations suite '{table}' on the rows about to be loaded.")
                 for table in VALIDATED_TABLES] + [outlet_health_spec(core_key("articles"))],
    pool="warehouse",
    # On Celery, the loader runs only on workers of the `warehouse` queue: the host holding the DuckDB file.
    op_tags={"dagster-celery/queue": "warehouse"},
    description="Every staged unit settled, validated and loaded in one transaction (the single writer).",
)
def warehouse_tables(context: dg.AssetExecutionContext, kabar: KabarResource):
    give_up_after_lost_workers(context)
    with kabar.writing(context.log, run_owner(context.run.tags)) as config:
        loaded = load_staged(config, run_id=context.run.run_id)
    report, settled = loaded.report, loaded.validated.settled
    for warning in settled.warnings:
        context.log.warning(warning)
    page = loaded.validated.quality_page
    checks = [check_result(table, settled.reports[table], page) for table in VALIDATED_TABLES]
    if report.blocked:
        yield from checks
        raise dg.Failure(f"load blocked, nothing loaded (staged units set aside in {report.set_aside}): {report.blocked}",
                         metadata={REPORT: dg.MetadataValue.json(report.to_json())})
    context.log.info(f"loaded {len(report.units)} unit(s) into {kabar.warehouse_path}: {report.written}")
    context.instance.add_run_tags(context.run.run_id, loaded_tags(report))
    with open_warehouse(kabar.warehouse_path, read_only=True, wait_seconds=kabar.busy_timeout_seconds) as con:
        previews = {table: con.table(table).limit(PREVIEW_ROWS).pl() for table in LOAD_ORDER}
        checks.append(outlet_health_result(con, core_key("articles")))
    for table in LOAD_ORDER:
        metadata = frame_metadata(previews[table].drop("text", strict=False),
                                  rows_written=dg.MetadataValue.int(report.written.get(table, 0)),
                                  warehouse=dg.MetadataValue.path(kabar.warehouse_path))
        metadata[ROW_COUNT] = dg.MetadataValue.int(report.totals.get(table, 0))  # the table's total
        metadata[COLUMN_SCHEMA] = dg.MetadataValue.table_schema(column_schema(table))
        if table == "articles":
            metadata[REPORT] = dg.MetadataValue.json(report.to_json())
            if page:
                metadata["quality_page"] = dg.MetadataValue.url(page.resolve().as_uri())
        yield dg.MaterializeResult(asset_key=core_key(table), metadata=metadata)
    # After the materialisations: a check evaluation belongs to the asset's latest materialisation, so
    # checks yielded first would be shown against the previous run's tables.
    yield from checks


def check_result(table: str, report: TableReport, page: Path | None = None) -> dg.AssetCheckResult:
    """The Dagster check result of ``table``'s suite: failed on a batch-wide error (blocking), or with a
    warning when rows were mended or an informational check failed; held-back articles pass it (they are
    the rows' own failure, listed under ``articles_held_back``); ``page`` is the load's quality page."""
    errors, warnings = report.errors, report.warnings + report.repairs
    return dg.AssetCheckResult(
        check_name=suite_check_name(table),
        asset_key=core_key(table),
        passed=not errors and not warnings,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        metadata=check_metadata(report, page),
    )

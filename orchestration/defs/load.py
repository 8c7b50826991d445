"""Load: the single warehouse writer. All tables in one DuckDB transaction, one run at a time."""

import dagster as dg
import polars as pl

from orchestration.defs.quality import STAGED_TABLES, staging_key
from orchestration.resources import KabarResource
from warehouse.io import load_batch, table_counts

_LOAD_ORDER = ("documents", "sources", "articles", "entities", "entity_mentions", "quotes", "article_sources", "rejects")


@dg.multi_asset(
    specs=[dg.AssetSpec(["core", table], description=f"The warehouse table `{table}`.", group_name="warehouse",
                        deps=[staging_key(table)])
           for table in _LOAD_ORDER],
    ins={table: dg.AssetIn(key=staging_key(table)) for table in STAGED_TABLES},
    pool="warehouse",
)
def warehouse_tables(context: dg.AssetExecutionContext, kabar: KabarResource, **staged: pl.DataFrame):
    with kabar.warehouse() as con:
        written = load_batch(con, staged)
        totals = table_counts(con)
    context.log.info(f"loaded into {kabar.warehouse_path}: {written}")
    for table in _LOAD_ORDER:
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["core", table]), metadata={
            "row_count": dg.MetadataValue.int(totals[table]),
            "rows_written": dg.MetadataValue.int(written.get(table, 0)),
            "warehouse": dg.MetadataValue.path(kabar.warehouse_path),
        })

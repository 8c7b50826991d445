"""Load: the single warehouse writer. All tables in one DuckDB transaction, one run at a time."""

import dagster as dg
import polars as pl

from orchestration.defs.metadata import frame_metadata
from orchestration.defs.quality import STAGED_TABLES, staging_key
from orchestration.resources import KabarResource
from warehouse.io import load_batch, table_counts

_PREVIEW_ROWS = 5
_LOAD_ORDER = ("documents", "sources", "articles", "entities", "entity_mentions", "quotes", "article_sources",
               "article_signatures", "rejects")


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
        previews = {table: con.table(table).limit(_PREVIEW_ROWS).pl() for table in _LOAD_ORDER}
    context.log.info(f"loaded into {kabar.warehouse_path}: {written}")
    for table in _LOAD_ORDER:
        metadata = frame_metadata(previews[table].drop("text", strict=False),
                                  rows_written=dg.MetadataValue.int(written.get(table, 0)),
                                  warehouse=dg.MetadataValue.path(kabar.warehouse_path))
        metadata["row_count"] = dg.MetadataValue.int(totals[table])  # the table's total, not the preview's
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["core", table]), metadata=metadata)

"""The outlet extraction health check: a warning on ``core/articles`` when an outlet's titles, bylines,
dates or body lengths fall clearly below its own trailing baseline (``transforms.outlet_health``),
naming the outlet, the field and the day it began. It never blocks a load: a changed page template is
the extractor's problem to fix, not a reason to hold the outlet's articles back."""
from __future__ import annotations

import dagster as dg
import duckdb
import polars as pl

from orchestration.defs.metadata import markdown_table
from transforms.outlet_health import BASELINE_DAYS, FIELDS, degradations
from warehouse.io import sql

CHECK_NAME = "outlet_extraction_health"


def outlet_health_spec(asset: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        CHECK_NAME, asset=asset, blocking=False,
        description=f"Warns when an outlet's share of titles that are not the site name, of bylines or of "
                    f"publication dates, or its median body length, falls clearly below its trailing "
                    f"{BASELINE_DAYS}-day baseline (view outlet_daily_health).")


def outlet_health_result(con: duckdb.DuckDBPyConnection, asset: dg.AssetKey) -> dg.AssetCheckResult:
    """The check on the loaded warehouse: the degradations of the last ``BASELINE_DAYS`` days of data."""
    health = con.execute(sql("read/outlet_daily_health")).pl()
    found = degradations(health)
    metadata = {
        "outlets_checked": dg.MetadataValue.int(health["outlet"].n_unique()),
        "outlet_days_checked": dg.MetadataValue.int(health.height),
        "degradations": dg.MetadataValue.int(len(found)),
    }
    if found:
        metadata["warnings"] = dg.MetadataValue.text("; ".join(episode.describe() for episode in found))
        metadata["degraded_outlets"] = dg.MetadataValue.md(markdown_table(pl.DataFrame(
            [{"outlet": d.outlet, "field": FIELDS[d.field], "since": str(d.since), "last": str(d.last),
              "value": round(d.value, 2), "baseline": round(d.baseline, 2)} for d in found])))
    return dg.AssetCheckResult(check_name=CHECK_NAME, asset_key=asset, passed=not found,
                               severity=dg.AssetCheckSeverity.WARN, metadata=metadata)

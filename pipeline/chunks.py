"""Cut an ingest manifest into chunks: the units of work that run side by side."""
from __future__ import annotations

import polars as pl

from pipeline.ingest import NEW


def cut(manifest: pl.DataFrame, documents: int) -> list[pl.DataFrame]:
    """Slices of ``manifest`` holding up to ``documents`` documents to extract each; rows with nothing to
    extract (duplicates, already seen, rejected before storing) ride along in the first, so a batch
    with nothing new is one cheap chunk."""
    to_extract = (pl.col("status") == NEW) & pl.col("reject_reason").is_null()
    work = manifest.filter(to_extract)
    rest = manifest.filter(~to_extract)
    chunks = [work.slice(start, documents) for start in range(0, work.height, max(1, documents))] or [work]
    chunks[0] = pl.concat([rest, chunks[0]])
    return chunks


def unit_name(batch: str, index: int) -> str:
    """The staged unit of chunk ``index`` of batch ``batch`` (a run id, an archive's partition key)."""
    return f"{batch}-{index:05d}"

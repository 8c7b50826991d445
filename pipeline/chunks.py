"""Cut an ingest manifest into chunks: the units of work that run side by side."""
from __future__ import annotations

from itertools import accumulate, pairwise

import polars as pl

from pipeline.ingest import TO_EXTRACT


def cut(manifest: pl.DataFrame, documents: int) -> list[pl.DataFrame]:
    """Slices of ``manifest`` holding up to ``documents`` documents to extract each; rows with nothing to
    extract (duplicates, already seen, rejected before storing) ride along in the first, so a batch
    with nothing new is one cheap chunk."""
    work = manifest.filter(TO_EXTRACT)
    rest = manifest.filter(~TO_EXTRACT)
    starts = list(accumulate(chunk_sizes(work.height, documents), initial=0))
    chunks = [work.slice(start, end - start) for start, end in pairwise(starts)] or [work]
    chunks[0] = pl.concat([rest, chunks[0]])
    return chunks


def chunk_sizes(total: int, documents: int) -> list[int]:
    """A quarter of what is left, at most ``documents`` and not under a quarter of it: a long run starts
    with big chunks (fewer steps to start and hand over) and the last chunks shrink, so workers finish
    close together instead of one idling while another runs a full last chunk (guided self-scheduling;
    `make bench` shows the tail of the chunk steps)."""
    documents = max(1, documents)
    sizes, left = [], total
    while left > 0:
        sizes.append(min(left, documents, max(-(-left // 4), documents // 4, 1)))
        left -= sizes[-1]
    return sizes


def unit_name(batch: str, index: int) -> str:
    """The staged unit of chunk ``index`` of batch ``batch`` (a run id, an archive's partition key)."""
    return f"{batch}-{index:05d}"

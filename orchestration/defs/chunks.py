"""Process: the run's documents cut into chunks, one Dagster step each (dynamic fan-out), so the
executor in the run's configuration decides where they run: in the run's process, in worker
processes (multiprocess, forkserver with the models preloaded), or on other machines."""

from dataclasses import asdict
from datetime import datetime, UTC

import dagster as dg
import polars as pl

from orchestration.defs.catalog import OWNERS, layer
from orchestration.defs.metadata import frame_metadata
from orchestration.resources import KabarResource
from orchestration.worker_losses import give_up_after_lost_workers
from pipeline.chunks import cut, unit_name
from pipeline.ingest import Ingested, Notices
from pipeline.process import ChunkResult, process_chunk

# A process that dies on a document (a crash in a parser or the model) is retried; the retry skips the
# document it died on (``pipeline.journal``). Three retries: a chunk survives three such documents.
CRASH_RETRIES = dg.RetryPolicy(max_retries=3)


@dg.op(out=dg.DynamicOut(), description="Cut the run's manifest into chunks of documents to extract.")
def cut_chunks(context: dg.OpExecutionContext, kabar: KabarResource, raw_documents: Ingested):
    chunks = cut(raw_documents.manifest, kabar.chunk_documents)
    context.log.info(f"{len(chunks)} chunk(s) of up to {kabar.chunk_documents} documents")
    for index, chunk in enumerate(chunks):
        # The first chunk carries the run's notices (inputs not read, WARC records that are not pages).
        yield dg.DynamicOutput((index, chunk, raw_documents.notices if index == 0 else Notices()),
                               mapping_key=f"chunk_{index:05d}")


@dg.op(description="Extract, enrich and stage one chunk as Parquet (no warehouse access).", retry_policy=CRASH_RETRIES)
def stage_chunk(context: dg.OpExecutionContext, kabar: KabarResource, chunk: tuple) -> ChunkResult:
    give_up_after_lost_workers(context)
    index, manifest, notices = chunk
    result = process_chunk(kabar.config, manifest, unit_name(f"run-{context.run_id}", index), datetime.now(UTC), notices,
                           attempt=context.retry_number)
    context.log.info(f"{result.unit}: {result.documents} documents, {result.articles} articles, {result.rejects} rejects")
    return result


@dg.op(description="The units this run staged.")
def staged_units(results: list[ChunkResult]) -> dg.Output[list[str]]:
    return staged_output(results)


def staged_output(results: list[ChunkResult]) -> dg.Output[list[str]]:
    """The staged units' names, with a row per unit (documents, articles, rejects) as metadata."""
    table = pl.DataFrame([asdict(result) for result in results],
                         schema={"unit": pl.String, "documents": pl.Int64, "articles": pl.Int64, "rejects": pl.Int64})
    return dg.Output([result.unit for result in results], metadata=frame_metadata(
        table, documents=dg.MetadataValue.int(int(table["documents"].sum()))))


@dg.graph_asset(group_name="process", kinds={"spacy", "polars", "parquet"}, owners=OWNERS, tags=layer("staging"),
                description="The run's documents extracted and enriched (entities, quotes, sources) chunk by chunk into "
                            "Parquet units under $KABAR_HOME/staging, for the single loader: one row per staged unit.")
def staged_chunks(raw_documents):
    return staged_units(cut_chunks(raw_documents).map(stage_chunk).collect())

"""Backfill: one Dagster dynamic partition per WARC archive, staged as one unit (``pipeline.archive``).

Partition runs never open the warehouse, so archives are staged side by side (runs launched at once,
one step each in a ``backfill_job`` run, or one partition run from the UI); ``load_job`` then merges every staged unit through the same
single writer as ``kabar run`` (``orchestration.defs.load``). A failed archive is re-run alone by
materialising its partition again. An archive that cannot be read (refused over HTTP, missing from
its bucket, cut off) fails its step at once, without retries: the fetcher already retried what a
retry could mend.
"""

import json

import dagster as dg

from orchestration.defs.catalog import OWNERS, layer
from orchestration.defs.chunks import CRASH_RETRIES, staged_output
from orchestration.resources import KabarResource
from orchestration.worker_losses import give_up_after_lost_workers
from crawl.outlets import SourcesFileError
from pipeline.archive import Archive, UnknownPartition, open_registry, stage_archive
from pipeline.process import ChunkResult
from transforms.warc import ArchiveUnavailable

WARC_PARTITIONS = dg.DynamicPartitionsDefinition(name="warc_files")


def archive_unit(partition: str) -> str:
    """The staged unit of an archive's partition."""
    return f"warc-{partition}"


@dg.asset(partitions_def=WARC_PARTITIONS, group_name="backfill", retry_policy=CRASH_RETRIES,
          kinds={"warc", "spacy", "parquet"}, owners=OWNERS, tags=layer("staging"),
          description="One WARC archive (one partition) ingested, extracted and enriched into one staged Parquet "
                      "unit (no warehouse access, so archives run in parallel).")
def warc_staged(context: dg.AssetExecutionContext, kabar: KabarResource) -> dg.MaterializeResult:
    give_up_after_lost_workers(context)
    archive, result = _stage(kabar, context.partition_key, context.retry_number)
    counts = {"documents": result.documents, "articles": result.articles, "rejects": result.rejects}
    context.log.info(f"{archive.location}: {json.dumps(counts)}")
    return dg.MaterializeResult(metadata={"archive": dg.MetadataValue.path(archive.location), **counts})


def _stage(kabar: KabarResource, partition: str, attempt: int) -> tuple[Archive, ChunkResult]:
    config = kabar.config
    try:
        archive = open_registry(config).archive(partition)
    except UnknownPartition as error:
        raise dg.Failure(str(error)) from None
    try:
        return archive, stage_archive(config, archive, archive_unit(partition), attempt)
    except (ArchiveUnavailable, SourcesFileError) as error:
        raise dg.Failure(str(error), allow_retries=False) from None


class BackfillConfig(dg.Config):
    """The registered archives (partition keys) a backfill run stages."""

    partitions: list[str] = []


@dg.op(out=dg.DynamicOut(), description="One step per archive of the backfill.")
def archives_to_stage(config: BackfillConfig):
    for index, key in enumerate(dict.fromkeys(config.partitions)):
        yield dg.DynamicOutput(key, mapping_key=f"archive_{index:05d}")


@dg.op(description="Ingest, extract and enrich one archive into its staged unit (no warehouse access).",
       retry_policy=CRASH_RETRIES)
def stage_one_archive(context: dg.OpExecutionContext, kabar: KabarResource, partition: str) -> ChunkResult:
    give_up_after_lost_workers(context)
    archive, result = _stage(kabar, partition, context.retry_number)
    context.log.info(f"{archive.location}: {result.documents} documents, {result.articles} articles, {result.rejects} rejects")
    return result


@dg.op(description="The units this backfill staged.")
def staged_archive_units(results: list[ChunkResult]) -> dg.Output[list[str]]:
    return staged_output(results)


@dg.graph_asset(group_name="backfill", kinds={"warc", "spacy", "parquet"}, owners=OWNERS, tags=layer("staging"),
                description="A backfill's WARC archives, each staged as one unit by its own step (so the executor runs "
                            "them side by side), for the single loader: one row per archive's staged unit.")
def staged_archives():
    return staged_archive_units(archives_to_stage().map(stage_one_archive).collect())

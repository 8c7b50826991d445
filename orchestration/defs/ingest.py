"""Ingest asset and the sensors that start runs on new files: thin adapters over ``pipeline.ingest``."""

import hashlib
import json
from datetime import datetime, UTC
from pathlib import Path

import dagster as dg

from orchestration.defs.catalog import OWNERS, layer
from orchestration.defs.metadata import frame_metadata
from orchestration.resources import KabarResource
from orchestration.run_contents import input_tags
from pipeline.config import Config
from pipeline.ingest import DUPLICATE, NEW, SEEN, Ingested, ingest
from transforms.documents import discover_inputs


class IngestConfig(dg.Config):
    """Which inputs a run reads (none: ``KABAR_INBOX``, else the bundled samples)."""

    paths: list[str] = []
    reprocess: bool = False

    def inputs(self, settings: Config) -> list[Path]:
        """The paths the run reads: its own, else the default inputs (none when reprocessing stored ones)."""
        return [Path(p) for p in self.paths] or ([] if self.reprocess else settings.default_inputs)

    def tags(self, settings: Config) -> dict[str, str]:
        """The run tags naming these inputs (``orchestration.run_contents``)."""
        return input_tags([str(path) for path in self.inputs(settings)], reprocess=self.reprocess)


@dg.asset(group_name="ingest", kinds={"html", "warc", "polars"}, owners=OWNERS, tags=layer("ingest"),
          description="The run's input documents, stored content-addressed: one row per document read (a page, "
                      "or a WARC record that is a page), its status new, a duplicate within the run, or already committed.")
def raw_documents(context: dg.AssetExecutionContext, config: IngestConfig, kabar: KabarResource) -> dg.Output[Ingested]:
    settings = kabar.config
    ingested = ingest(settings, config.inputs(settings), datetime.now(UTC), reprocess=config.reprocess)
    for path, why in ingested.notices.not_read:
        context.log.warning(f"not read: {path} ({why})")
    counts = ingested.counts()
    context.log.info(f"documents in: {ingested.manifest.height} ({json.dumps(counts)}); WARC records skipped: "
                     f"{json.dumps(ingested.notices.records_skipped)}")
    return dg.Output(ingested, metadata=frame_metadata(
        ingested.manifest, **{f"{s}_count": counts.get(s, 0) for s in (NEW, DUPLICATE, SEEN)},
        notices=dg.MetadataValue.json(ingested.notices.to_json())))


def _input_files(folder: Path) -> dict[str, str]:
    """Every input file in ``folder`` with a fingerprint of its size and modification time."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in discover_inputs([folder]):
        try:
            stat = path.stat()
        except OSError:   # gone since the folder was listed: the next tick sees what is there
            continue
        found[str(path)] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return found


def new_files_run_request(context: dg.SensorEvaluationContext, folder: Path):
    """A run over the files in ``folder`` that are new or changed since the cursor."""
    current = _input_files(folder)
    seen = json.loads(context.cursor) if context.cursor else {}
    fresh = sorted(path for path, fingerprint in current.items() if seen.get(path) != fingerprint)
    if not fresh:
        return dg.SkipReason(f"no new files in {folder}")
    context.update_cursor(json.dumps(current))
    run_key = hashlib.sha256("\n".join(f"{p}|{current[p]}" for p in fresh).encode()).hexdigest()
    return dg.RunRequest(run_key=run_key, run_config=dg.RunConfig(ops={"raw_documents": IngestConfig(paths=fresh)}),
                         tags=input_tags(fresh))


def inbox_sensor(inbox: Path | None) -> dg.SensorDefinition:
    """Starts a run when new or changed pages or WARC archives land in ``inbox`` (``KABAR_INBOX``)."""

    @dg.sensor(name="inbox_sensor", job_name="kabar_run_job", minimum_interval_seconds=30,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description="Starts a run when new or changed pages or WARC archives land in KABAR_INBOX.")
    def watch(context: dg.SensorEvaluationContext):
        if inbox is None:
            return dg.SkipReason("KABAR_INBOX is not set")
        return new_files_run_request(context, inbox)

    return watch

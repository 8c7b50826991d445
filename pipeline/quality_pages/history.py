"""The kept loads on disk: a JSON record and a page per load under ``runs/``, the newest ``keep`` kept."""
from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.quality_pages.record import RunRecord
from warehouse.storage import LocalFolder

RUNS = "runs"
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def page_path(directory: Path, run_id: str) -> Path:
    """Where the page of load ``run_id`` is (a Dagster run id or ``pipeline.load``'s own both fit)."""
    if not _RUN_ID.fullmatch(run_id):
        raise ValueError(f"a run id names files: letters, digits, '.', '_' and '-' only, not {run_id!r}")
    return directory / RUNS / f"{run_id}.html"


def save(directory: Path, record: RunRecord) -> None:
    write_text(page_path(directory, record.run_id).with_suffix(".json"), json.dumps(record.to_json()))


def prune(directory: Path, keep: int) -> list[RunRecord]:
    """Delete all but the newest ``keep`` loads' records and pages; the kept records, newest first. A
    record that cannot be read is left alone and out of the index."""
    records = sorted(_readable(directory), key=lambda record: record.run_time, reverse=True)
    for old in records[keep:]:
        json_path = page_path(directory, old.run_id).with_suffix(".json")
        json_path.unlink()
        json_path.with_suffix(".html").unlink(missing_ok=True)
    return records[:keep]


def write_text(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a reader (or a crash) never sees half a file."""
    LocalFolder(path.parent).write(path.name, text.encode("utf-8"))


def _readable(directory: Path) -> list[RunRecord]:
    records = []
    for path in (directory / RUNS).glob("*.json"):
        try:
            records.append(RunRecord.from_json(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return records

"""WARC figures: a partition step's throughput and peak memory at two archive sizes, and a backfill
of several archives with 1 and 2 worker processes, measured side by side in one run.

Archives are built from the ``../shared/corpus`` pages, each record made unique (its URL and a
marker in the page); every measurement gets a fresh ``KABAR_HOME`` and a fresh process.
"""
from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, UTC
from pathlib import Path

from bench.kabar import REPO, kabar_command, kabar_env
from evaluation.corpora import aeb_pages, fundus_pages, shared_dir
from transforms.warc import WarcWriter

_HEAD = re.compile(rb"<head[^>]*>", re.I)


def unique_copy(data: bytes, index: int) -> tuple[str, bytes]:
    """Copy ``index`` of a page: its own URL ``https://bench.kabar.invalid/doc/<index>`` as canonical
    link, and the number in a comment, so every copy is a distinct document and article."""
    url = f"https://bench.kabar.invalid/doc/{index}"
    marker = f'<link rel="canonical" href="{url}"><!-- kabar-bench {index} -->'.encode()
    match = _HEAD.search(data)
    return url, data[:match.end()] + marker + data[match.end():] if match else marker + data


def write_unique_archive(path: Path, pages: list, records: int, first: int = 0) -> Path:
    """``records`` responses cycling over ``pages``, numbered from ``first`` (``unique_copy``)."""
    sources = [page.read_bytes() for page in pages]
    fetched_at = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("wb") as handle:
        writer = WarcWriter(handle)
        for index in range(first, first + records):
            url, data = unique_copy(sources[index % len(sources)], index)
            writer.write_response(url, data, fetched_at=fetched_at)
    return path


def stage_in_fresh_process(archive: Path, home: Path) -> dict:
    """Run one partition step (ingest, extract, enrich into Parquet) in a new process."""
    process = subprocess.run([sys.executable, "-m", "bench.warc", "--stage", str(archive), str(home)],
                             capture_output=True, text=True, check=True, cwd=REPO, env=kabar_env(home))
    return json.loads(process.stdout.strip().splitlines()[-1])


def _stage(archive: Path, home: Path) -> None:
    from pipeline.archive import stage_archive
    from pipeline.config import Config

    start = time.perf_counter()
    staged = stage_archive(Config(home=home, warehouse=home / "warehouse.duckdb"), archive, "bench")
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"documents": staged.documents, "seconds": elapsed, "peak_mib": peak}))


def partition_step(pages: list, sizes: tuple[int, ...] = (1000, 5000)) -> None:
    print("WARC partition step (ingest + extract + enrich to Parquet; one process, fresh KABAR_HOME each)")
    with tempfile.TemporaryDirectory(prefix="kabar-bench-warc-") as tmp:
        for size in sizes:
            archive = write_unique_archive(Path(tmp) / f"bench-{size}.warc.gz", pages, size)
            result = stage_in_fresh_process(archive, Path(tmp) / f"home-{size}")
            print(f"  {size:>5} records   {result['documents'] / result['seconds']:6.1f} unique docs/s   "
                  f"peak RSS {result['peak_mib']:6.0f} MiB")
    print()


def backfill_speedup(pages: list, archives: int = 4, records: int = 500) -> None:
    print(f"backfill: `kabar backfill` of {archives} archives x {records} records, 1 vs 2 worker processes")
    with tempfile.TemporaryDirectory(prefix="kabar-bench-backfill-") as tmp:
        folder = Path(tmp) / "archives"
        folder.mkdir()
        for index in range(archives):
            write_unique_archive(folder / f"part-{index}.warc.gz", pages, records, first=index * records)
        timings = {workers: timed_backfill(folder, kabar_env(Path(tmp) / f"home-{workers}"), workers) for workers in (1, 2)}
    for workers, total in timings.items():
        print(f"  {workers} worker(s)   whole backfill incl. load {total:6.1f} s")
    print(f"  speed-up with 2 workers: whole backfill {timings[1] / timings[2]:.2f}x"
          "   (target >= 1.6)\n")


def timed_backfill(folder: Path, env: dict[str, str], workers: int | None = None) -> float:
    """Wall seconds of `kabar backfill FOLDER [--workers N]` (this checkout's code) in ``env``."""
    start = time.perf_counter()
    process = subprocess.run([*kabar_command(), "backfill", str(folder.absolute()),
                              *(["--workers", str(workers)] if workers else [])],
                             cwd=REPO, env=env, capture_output=True, text=True)
    total = time.perf_counter() - start
    if process.returncode:
        raise RuntimeError(f"kabar backfill failed ({process.returncode}): {process.stderr[-2000:]}")
    return total


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--stage":
        _stage(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    if not (shared_dir() / "corpus").is_dir():
        print(f"bench: no gold data at {shared_dir()} (set KABAR_SHARED)", file=sys.stderr)
        return 2
    pages = aeb_pages() + fundus_pages()
    partition_step(pages)
    backfill_speedup(pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())

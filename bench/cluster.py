"""Cluster figures (issue 13), measured side by side in one run on this machine, printed, never asserted:

1. ``backfill_on_workers``: the same `kabar backfill` (4 archives x 500 unique records = 2,000 pages) on
   the local deployment with 1 and 2 worker processes (Dagster's in-process and multiprocess executors)
   and on the cluster deployment (PostgreSQL, Redis and SeaweedFS started here, on the same cores) with
   1 and 2 Celery workers; the speed-ups, and documents per second per worker process.
2. ``per_run_overhead``: `kabar run` on one page, local and cluster (1 worker), each on a fresh
   ``KABAR_HOME``: what scheduling through Celery and the object store's round trips add to a run.

    make bench-cluster                      # python -m bench.cluster
    python -m bench.cluster --archives 4 --records 500 --rounds 2

Needs the cluster extra (`make install-cluster`), Debian's PostgreSQL 15 and redis-server, and the gold
pages of ../shared (or $KABAR_SHARED). Servers and workers are started on 127.0.0.1 and stopped by PID
(``tests.servers``, the same as `make test-cluster`).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.kabar import kabar_env, run_kabar
from bench.warc import timed_backfill, write_unique_archive
from evaluation.corpora import aeb_pages, fundus_pages, shared_dir
from tests.servers import celery_worker, deployment_env, new_bucket, postgres, redis, seaweedfs

SPEEDUP_TARGET = 1.5


class Cluster:
    """The deployment's servers on this machine; each measured command gets a bucket of its own."""

    def __init__(self, folder: Path, stack: ExitStack):
        self.folder = folder
        self.s3 = stack.enter_context(seaweedfs(folder / "seaweedfs"))
        self.pg = stack.enter_context(postgres())
        self.broker = stack.enter_context(redis(folder / "redis"))

    def settings(self) -> dict[str, str]:
        """The shared settings, with a new bucket (nothing of an earlier command found there)."""
        return deployment_env({}, self.s3, new_bucket(self.s3), self.pg, self.broker)

    @contextmanager
    def workers(self, count: int, settings: dict[str, str]) -> Iterator[None]:
        """``count`` Celery workers, the first also on the warehouse queue (the loader)."""
        env, logs = {**os.environ, **settings}, Path(tempfile.mkdtemp(prefix="workers-", dir=self.folder))
        with ExitStack() as stack:
            for index in range(count):
                queues = ["dagster", "warehouse"] if index == 0 else ["dagster"]
                stack.enter_context(celery_worker(f"worker{index}", queues, env, logs))
            yield


def backfill_on_workers(cluster: Cluster, tmp: Path, pages: list, archives: int, records: int, rounds: int) -> None:
    documents = archives * records
    folder = tmp / "archives"
    folder.mkdir()
    for index in range(archives):
        write_unique_archive(folder / f"part-{index}.warc.gz", pages, records, first=index * records)
    print(f"backfill: `kabar backfill` of {archives} archives x {records} records ({documents} unique pages), "
          f"{os.cpu_count()} cores shared by every server and worker; {rounds} round(s), in alternating order")
    seconds: dict[tuple[str, int], list[float]] = {}
    for round_ in range(rounds):
        for deployment in ("local", "cluster") if round_ % 2 == 0 else ("cluster", "local"):
            for workers in (1, 2) if round_ % 2 == 0 else (2, 1):
                home = tmp / f"home-{deployment}-{workers}-{round_}"
                if deployment == "local":
                    took = timed_backfill(folder, kabar_env(home), workers)
                else:
                    settings = cluster.settings()
                    with cluster.workers(workers, settings):
                        took = timed_backfill(folder, {**kabar_env(home), **settings})
                seconds.setdefault((deployment, workers), []).append(took)
                print(f"  round {round_ + 1}  {deployment:<7} {workers} worker(s)  {took:7.1f} s   "
                      f"{documents / took:5.1f} docs/s   load {os.getloadavg()[0]:.1f}")
    for deployment in ("local", "cluster"):
        one, two = (statistics.median(seconds[deployment, workers]) for workers in (1, 2))
        print(f"  {deployment:<7} median   1 worker {documents / one:5.1f} docs/s per core   "
              f"2 workers {documents / two / 2:5.1f} docs/s per core   speed-up {one / two:.2f}x"
              + (f"   (target >= {SPEEDUP_TARGET})" if deployment == "cluster" else ""))
    print()


def per_run_overhead(cluster: Cluster, tmp: Path, page, repeats: int) -> None:
    print(f"per-run overhead: `kabar run` on one page, fresh KABAR_HOME each, median of {repeats}")
    folder = tmp / "one-page"
    folder.mkdir()
    (folder / "page.html").write_bytes(page.read_bytes())
    local = [run_kabar(tmp / f"overhead-local-{index}", folder, steps=False).seconds for index in range(repeats)]
    settings = cluster.settings()
    with cluster.workers(1, settings):
        remote = [run_kabar(tmp / f"overhead-cluster-{index}", folder, steps=False, settings=settings).seconds
                  for index in range(repeats)]
    print(f"  local {statistics.median(local):6.1f} s   cluster {statistics.median(remote):6.1f} s   "
          f"the cluster adds {statistics.median(remote) - statistics.median(local):+.1f} s per run\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archives", type=int, default=4)
    parser.add_argument("--records", type=int, default=500, help="unique records per archive")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--overhead-repeats", type=int, default=3)
    args = parser.parse_args()
    if not (shared_dir() / "corpus").is_dir():
        print(f"bench: no gold data at {shared_dir()} (set KABAR_SHARED)", file=sys.stderr)
        return 2
    pages = aeb_pages() + fundus_pages()
    with tempfile.TemporaryDirectory(prefix="kabar-bench-cluster-") as tmp, ExitStack() as stack:
        cluster = Cluster(Path(tmp), stack)
        per_run_overhead(cluster, Path(tmp), pages[0], args.overhead_repeats)
        backfill_on_workers(cluster, Path(tmp), pages, args.archives, args.records, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

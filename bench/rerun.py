"""The fixed cost of re-running a loaded folder (issue 18): `kabar run` on 1,000 pages it has already
loaded, against `python -c "import dagster"` on the same machine, side by side in one run, printed, never
asserted. Issue 18 asks for at most ``TARGET_SECONDS`` above the import.

    python -m bench.rerun                           # 1,000 unique gold pages, loaded once (~80 s), 5 rounds
    python -m bench.rerun --pages DIR --home HOME   # a folder HOME has already loaded: no load

The two are timed in alternating rounds (the import first in even rounds, the re-run first in odd ones), so
other work on the machine weighs on both; each figure is the median of its rounds. The re-run's line also
gives where its time went (``bench.kabar.step_breakdown``).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.engine import make_corpus
from bench.kabar import REPO, Measured, kabar_env, run_kabar, step_breakdown

TARGET_SECONDS = 3.0
DOCUMENTS = 1000


def rerun_cost(pages, count: int = DOCUMENTS, rounds: int = 5, *, loaded: tuple[Path, Path] | None = None,
               root: Path = REPO) -> None:
    """Print the medians of ``rounds`` re-runs of ``count`` loaded pages (made from ``pages`` and loaded
    once on a fresh home; or ``loaded``: a pages folder and the home that loaded it) and of ``rounds``
    imports of Dagster, their difference and the target."""
    print(f"re-run of a loaded folder: `kabar run` on {count} pages already loaded vs `python -c \"import dagster\"`")
    with tempfile.TemporaryDirectory(prefix="kabar-bench-rerun-") as tmp:
        if loaded is None:
            corpus, home = make_corpus(pages, count, Path(tmp) / "pages"), Path(tmp) / "home"
            first = run_kabar(home, corpus, root=root)
            print(f"  load           {first.seconds:7.1f} s   articles {first.articles:>5}   (first run, fresh home)")
        else:
            corpus, home = loaded
        imports: list[float] = []
        reruns: list[Measured] = []
        for round_ in range(rounds):
            for what in (("import", "rerun") if round_ % 2 == 0 else ("rerun", "import")):
                if what == "import":
                    imports.append(import_dagster_seconds(home, root))
                else:
                    reruns.append(run_kabar(home, corpus, root=root))
    base, wall = statistics.median(imports), statistics.median(run.seconds for run in reruns)
    median_run = sorted(reruns, key=lambda run: run.seconds)[len(reruns) // 2]
    print(f"  import dagster  median {base:5.2f} s   all {' '.join(f'{s:.2f}' for s in sorted(imports))}")
    print(f"  kabar re-run    median {wall:5.2f} s   all {' '.join(f'{r.seconds:.2f}' for r in sorted(reruns, key=lambda r: r.seconds))}"
          f"   CPU {statistics.median(r.cpu_seconds for r in reruns):5.2f} s   load {median_run.load_before:.1f}")
    print(f"    steps (median run): {step_breakdown(median_run)}")
    print(f"  above the import {wall - base:5.2f} s   target ≤ {TARGET_SECONDS:.1f} s   "
          f"({'met' if wall - base <= TARGET_SECONDS else 'NOT met'}, by {abs(TARGET_SECONDS - (wall - base)):.2f} s)")
    print()


def import_dagster_seconds(home: Path, root: Path = REPO) -> float:
    """Wall seconds of `python -c "import dagster"` in the environment a run of ``root`` gets."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import dagster"], cwd=root, env=kabar_env(home, root), check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    from evaluation.corpora import aeb_pages, fundus_pages, shared_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=DOCUMENTS, help=f"unique pages to load (default {DOCUMENTS})")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--pages", type=Path, default=None, help="a folder HOME has already loaded (with --home)")
    parser.add_argument("--home", type=Path, default=None, help="the KABAR_HOME that loaded --pages")
    args = parser.parse_args(argv)
    if (args.pages is None) != (args.home is None):
        parser.error("--pages and --home go together")
    if args.pages is not None:
        count = sum(1 for path in args.pages.rglob("*") if path.is_file())
        rerun_cost([], count, args.rounds, loaded=(args.pages.resolve(), args.home.resolve()))
        return 0
    if not (shared_dir() / "corpus").is_dir():
        print(f"bench: no gold data at {shared_dir()} (set KABAR_SHARED)", file=sys.stderr)
        return 2
    rerun_cost(aeb_pages() + fundus_pages(), args.docs, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

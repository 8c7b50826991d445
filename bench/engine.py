"""Engine figures (issue 12), measured side by side in one run, printed, never asserted:

1. ``engine_speedup``: documents/s of `kabar run --workers 1` (Dagster in-process executor) and
   `--workers 2` (multiprocess executor, 2 processes) on the same ≥ 2,000 unique pages, and their ratio.
2. ``parallel_crossover``: the same at a few sizes, and the size from which 2 workers pay (what
   ``PARALLEL_FROM_DOCUMENTS`` in orchestration/executors.py should be).
3. ``fixed_cost``: a second `kabar run samples` with nothing new, and a run on one empty page, for this
   checkout and a baseline checkout side by side.

    python -m bench.engine                                    # all three (part of `make bench`)
    KABAR_BENCH_BASELINE=../kabar-base python -m bench.engine --only fixed
    python -m bench.engine --docs 3000 --rounds 2 --sizes 100,200,400

The baseline is another checkout of Kabar run the same way (``python -m orchestration.cli`` with the
checkout as working directory; same environment). Make it as a worktree of the commit to compare with:

    git worktree add ../kabar-base 0873db1
    KABAR_BENCH_BASELINE=../kabar-base make bench             # or: python -m bench.engine --baseline ../kabar-base

Without ``KABAR_BENCH_BASELINE`` (or ``--baseline``), the baseline's figures are skipped with a message.

Every `kabar` run is a fresh process, and every first run a fresh ``KABAR_HOME``; the pages are the
``../shared`` gold pages (or ``$KABAR_SHARED``), each copy made unique (``bench.warc.unique_copy``).
Each line shows the 1-minute load average when the run started: with other work on the machine, two
workers cannot have two cores, and the wall times say so. CPU seconds count every process of a run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.kabar import REPO, Measured, run_kabar, step_breakdown
from bench.warc import unique_copy
from evaluation.corpora import aeb_pages, fundus_pages, shared_dir

BASELINE_ENV = "KABAR_BENCH_BASELINE"
SIZES = (50, 100, 200, 400, 800)
SPEEDUP_TARGET = 1.6


def make_corpus(pages, count: int, folder: Path) -> Path:
    """``count`` unique pages (``unique_copy``) in ``folder``, cycling over ``pages``."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [p.read_bytes() for p in pages]
    for index in range(count):
        _, data = unique_copy(sources[index % len(sources)], index)
        (folder / f"doc-{index:05d}.html").write_bytes(data)
    return folder


def _line(label: str, run: Measured, documents: int | None = None) -> str:
    rate = f"{run.docs_per_second(documents):6.1f} docs/s   " if documents else ""
    return (f"  {label:<14} {run.seconds:7.1f} s   {rate}peak RSS {run.peak_mib:5.0f} MiB   CPU {run.cpu_seconds:6.1f} s"
            f"   articles {run.articles:>5}   load {run.load_before:.1f}")


def _fresh_run(tmp: Path, name: str, corpus: Path, workers: int | None) -> Measured:
    """A run on a new home, removed after it."""
    home = tmp / name
    run = run_kabar(home, corpus, workers=workers)
    shutil.rmtree(home, ignore_errors=True)
    return run


def engine_speedup(pages, count: int = 2000, rounds: int = 1) -> None:
    """`kabar run --workers 1` and `--workers 2` on the same ``count`` unique pages, each on a fresh
    ``KABAR_HOME``, in alternating order over ``rounds``; then a second, unchanged run (the CLI's default
    executor) on the last home."""
    print(f"engine speed-up: `kabar run` on {count} unique pages, --workers 1 (in-process executor) vs "
          f"--workers 2 (multiprocess, 2 processes); {os.cpu_count()} cores, fresh KABAR_HOME each")
    times: dict[int, list[Measured]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(prefix="kabar-bench-engine-") as tmp:
        tmp_path = Path(tmp)
        corpus = make_corpus(pages, count, tmp_path / "corpus")
        for round_ in range(rounds):
            for workers in ((1, 2) if round_ % 2 == 0 else (2, 1)):
                last, last_workers = run_kabar(tmp_path / f"home-{round_}-{workers}", corpus, workers=workers), workers
                times[workers].append(last)
                print(_line(f"--workers {workers}", last, count))
                print(f"      steps: {step_breakdown(last)}")
                if (round_, workers) != (rounds - 1, (2, 1)[round_ % 2]):   # the last home stays for the second run
                    shutil.rmtree(last.home, ignore_errors=True)
        second = run_kabar(last.home, corpus)
    best = {workers: min(runs, key=lambda run: run.seconds) for workers, runs in times.items()}
    ratio = best[1].seconds / best[2].seconds
    how = f"best of {rounds} alternating rounds" if rounds > 1 else "one round"
    print(f"  ratio docs/s --workers 2 / --workers 1: {ratio:.2f}x   ({how}; target >= {SPEEDUP_TARGET})")
    if rounds > 1:
        medians = {workers: statistics.median(run.seconds for run in runs) for workers, runs in times.items()}
        print(f"  medians: --workers 1 {medians[1]:.1f} s, --workers 2 {medians[2]:.1f} s, ratio {medians[1] / medians[2]:.2f}x")
        # The two runs of a round are back to back, so a slower spell of the machine slows both.
        paired = [one.seconds / two.seconds for one, two in zip(times[1], times[2])]
        print(f"  ratio within each round: {' '.join(f'{r:.2f}x' for r in paired)}   median {statistics.median(paired):.2f}x")
    print(f"  second, unchanged run (the CLI's default executor) {second.seconds:6.1f} s   ratio to the first "
          f"(--workers {last_workers}) {second.seconds / last.seconds:.3f}   (target <= 0.10)")
    print(f"      steps: {step_breakdown(second)}")
    print("\n" + "\n".join("  | " + line for line in best[2].summary.splitlines()) + "\n")


def parallel_crossover(pages, sizes: tuple[int, ...] = SIZES, rounds: int = 1) -> int | None:
    """Wall time of `kabar run --workers 1` and `--workers 2` at each size (fresh homes, the order
    alternating from size to size and round to round); returns and prints the size from which 2 workers
    are faster at every larger measured size, interpolated between the two measured sizes around it."""
    from orchestration.executors import PARALLEL_FROM_DOCUMENTS
    from pipeline.chunks import chunk_sizes
    from pipeline.config import DEFAULT_CHUNK_DOCUMENTS

    print(f"where the workers start to pay: `kabar run --workers 1` vs `--workers 2`, fresh KABAR_HOME each "
          f"(up to {DEFAULT_CHUNK_DOCUMENTS} documents a chunk)")
    print(f"  {'pages':>6} {'chunks':>6}   {'--workers 1':>11}   {'--workers 2':>11}   {'1 / 2':>6}   load")
    walls: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="kabar-bench-crossover-") as tmp:
        tmp_path = Path(tmp)
        for index, size in enumerate(sizes):
            corpus = make_corpus(pages, size, tmp_path / f"corpus-{size}")
            runs: dict[int, list[Measured]] = {1: [], 2: []}
            for round_ in range(rounds):
                for workers in ((1, 2) if (index + round_) % 2 == 0 else (2, 1)):
                    runs[workers].append(_fresh_run(tmp_path, f"home-{size}-{round_}-{workers}", corpus, workers))
            one, two = (statistics.median(run.seconds for run in runs[w]) for w in (1, 2))
            walls[size] = (one, two)
            loads = "/".join(f"{run.load_before:.1f}" for w in (1, 2) for run in runs[w])
            chunks = len(chunk_sizes(size, DEFAULT_CHUNK_DOCUMENTS))
            print(f"  {size:>6} {chunks:>6}   {one:9.1f} s   {two:9.1f} s   {one / two:6.2f}   {loads}")
            shutil.rmtree(corpus, ignore_errors=True)
    crossover = _crossover(walls)
    if rounds > 1:
        print(f"  (medians of {rounds} rounds)")
    if crossover is None:
        print(f"  crossover: 2 workers are not faster at {max(sizes)} pages or below, nor from some size on "
              f"(PARALLEL_FROM_DOCUMENTS is {PARALLEL_FROM_DOCUMENTS})\n")
    else:
        print(f"  crossover: 2 workers faster from about {crossover} pages on (PARALLEL_FROM_DOCUMENTS is "
              f"{PARALLEL_FROM_DOCUMENTS})\n")
    return crossover


def _crossover(walls: dict[int, tuple[float, float]]) -> int | None:
    """The smallest size from which 2 workers win at every measured size above it, interpolated
    linearly in (wall 1 − wall 2) between the last size they lose and the first they win."""
    sizes = sorted(walls)
    winning = [size for size in sizes if walls[size][1] < walls[size][0]]
    first = next((size for size in sizes if all(s in winning for s in sizes if s >= size)), None)
    if first is None:
        return None
    position = sizes.index(first)
    if position == 0:
        return first
    before = sizes[position - 1]
    gain_before, gain_first = (walls[s][0] - walls[s][1] for s in (before, first))
    return round(before + (first - before) * -gain_before / (gain_first - gain_before))


def baseline_root(given: str | Path | None = None) -> Path | None:
    """The baseline checkout: ``given``, else ``$KABAR_BENCH_BASELINE``; None when neither is set."""
    given = given or os.environ.get(BASELINE_ENV)
    return Path(given).resolve() if given else None


def fixed_cost(root: Path = REPO, baseline: str | Path | None = None, rounds: int = 3) -> None:
    """The wall time of a `kabar run samples` with nothing new (on a home that already loaded the 29
    bundled sample pages) and of a run on one empty page (fresh home), for the checkout at ``root`` and
    the baseline checkout (``baseline`` or ``$KABAR_BENCH_BASELINE``) side by side, in ``rounds``
    alternating rounds. Each checkout runs its own code on its own ``samples/``."""
    roots = {"current": Path(root).resolve()}
    other = baseline_root(baseline)
    print("fixed cost of a run: `kabar run samples` with nothing new, and `kabar run` on one empty page")
    if other is None:
        print(f"  (baseline skipped: set {BASELINE_ENV} to another checkout, e.g. `git worktree add ../kabar-base "
              f"0873db1`)")
    elif not (other / "orchestration" / "cli.py").is_file():
        print(f"  (baseline skipped: {other} is not a Kabar checkout)")
    else:
        roots["baseline"] = other
    for label, path in roots.items():
        print(f"  {label:<9} {path}   ({commit_line(path)})")
    repeated: dict[str, list[Measured]] = {label: [] for label in roots}
    empty: dict[str, list[Measured]] = {label: [] for label in roots}
    with tempfile.TemporaryDirectory(prefix="kabar-bench-fixed-") as tmp:
        tmp_path = Path(tmp)
        empty_dir = tmp_path / "empty"
        empty_dir.mkdir()
        (empty_dir / "empty.html").write_bytes(b"")
        for label, path in roots.items():
            first = run_kabar(tmp_path / f"home-{label}", path / "samples", root=path)
            print(_line(f"{label}: load", first) + "   (first run of samples/, fresh home)")
        for round_ in range(rounds):
            order = list(roots) if round_ % 2 == 0 else list(reversed(roots))
            for label in order:
                repeated[label].append(run_kabar(tmp_path / f"home-{label}", roots[label] / "samples", root=roots[label]))
            for label in order:
                home = tmp_path / f"home-empty-{label}-{round_}"
                empty[label].append(run_kabar(home, empty_dir, root=roots[label]))
                shutil.rmtree(home, ignore_errors=True)
    for title, runs in (("second run of samples/, nothing new", repeated), ("one empty page, fresh home", empty)):
        print(f"  {title} ({rounds} alternating rounds)")
        for label, measured in runs.items():
            seconds = sorted(run.seconds for run in measured)
            middle = statistics.median(run.seconds for run in measured)
            print(f"    {label:<9} median {middle:5.1f} s   best {seconds[0]:5.1f} s   all "
                  f"{' '.join(f'{s:.1f}' for s in seconds)}   peak RSS {max(r.peak_mib for r in measured):4.0f} MiB   "
                  f"CPU {statistics.median(r.cpu_seconds for r in measured):5.1f} s")
            print(f"              steps (median run): {step_breakdown(sorted(measured, key=lambda r: r.seconds)[len(measured) // 2])}")
        if len(runs) == 2:
            current, base = (statistics.median(run.seconds for run in runs[label]) for label in ("current", "baseline"))
            print(f"    current / baseline {current / base:.2f}   ({current - base:+.1f} s)")
    print()


def commit_line(root: Path) -> str:
    import subprocess

    found = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    return found.stdout.strip()[:72] if found.returncode == 0 else "not a git checkout"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="unique pages for the speed-up (default 2000)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds of the speed-up and crossover")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="pages at each crossover point")
    parser.add_argument("--fixed-rounds", type=int, default=3, help="alternating rounds of the fixed cost")
    parser.add_argument("--baseline", default=None, help=f"baseline checkout (default ${BASELINE_ENV})")
    parser.add_argument("--only", default="speedup,crossover,fixed", help="which figures (comma-separated)")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if only & {"speedup", "crossover"} and not (shared_dir() / "corpus").is_dir():
        print(f"bench: no gold data at {shared_dir()} (set KABAR_SHARED)", file=sys.stderr)
        return 2
    pages = aeb_pages() + fundus_pages() if only & {"speedup", "crossover"} else []
    if "speedup" in only:
        engine_speedup(pages, args.docs, args.rounds)
    if "crossover" in only:
        parallel_crossover(pages, tuple(int(size) for size in args.sizes.split(",")), args.rounds)
    if "fixed" in only:
        fixed_cost(REPO, args.baseline, args.fixed_rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

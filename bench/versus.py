"""The whole pipeline against the extractors alone, side by side in one run on the same pages (issue 18):
`kabar run` end to end (extraction, metadata, entities, quotes, sources, clusters, checks, load) against
newspaper4k's extraction alone and raw trafilatura's ``bare_extraction(with_metadata=True)`` alone, each
extractor in one process. Printed, never asserted.

    .venv/bin/python -m bench.versus                  # 1,000 pages, then 5,000 (Kabar alone)
    .venv/bin/python -m bench.versus --docs 469 --workers 2 --scale 0

The pages are the ``../shared`` gold pages (``$KABAR_SHARED``), copied until there are ``--docs`` of them,
each copy made unique by its URL and a marker (``bench.warc.unique_copy``), so every copy is a new
article for Kabar and the same work for the extractors. The extractors time their loop only (pages
already in memory, imports done); Kabar's figure is the whole command, start-up included, on both cores
(2 worker processes). With ``$KABAR_BENCH_BASELINE`` set (the issue's starting commit) its `kabar run`
goes on the same pages too: its docs/s beside this checkout's, and whether every table holds the same
number of rows. Then `kabar run` over ``--scale`` pages, for docs/s and peak memory as the input grows.
newspaper4k comes from the bench-only extra (``make bench`` installs ``requirements-bench.lock``).
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from bench.engine import baseline_root, commit_line, make_corpus
from bench.kabar import Measured, run_kabar, step_breakdown
from evaluation.corpora import aeb_pages, fundus_pages

NEWSPAPER_TARGET, TRAFILATURA_TARGET = 1.6, 0.5   # kabar run's docs/s over each extractor's, issue 18
SCALE_SPREAD, SCALE_PEAK_MIB = 0.10, 2048   # 1,000 vs 5,000 pages: docs/s within 10 %, peak <= 2 GB


def versus_figures(pages, count: int = 1000, workers: int = 2, baseline: str | Path | None = None) -> Measured:
    """Docs/s of each contender on the same ``count`` unique pages, printed with the ratios; Kabar's run returned."""
    other = baseline_root(baseline)
    with tempfile.TemporaryDirectory(prefix="kabar-bench-versus-") as tmp:
        corpus = make_corpus(pages, count, Path(tmp) / "pages")
        htmls = [(path.read_bytes().decode("utf-8", "replace"), _url(index)) for index, path in
                 enumerate(sorted(corpus.iterdir()))]
        newspaper_seconds, newspaper_failed = _newspaper_seconds(htmls)
        rates = {"newspaper4k": count / newspaper_seconds, "trafilatura": count / _trafilatura_seconds(htmls)}
        run = run_kabar(Path(tmp) / "home", corpus, workers=workers)
        rates["kabar"] = count / run.seconds
        before = run_kabar(Path(tmp) / "home-baseline", corpus, workers=workers, root=other) if other else None
    print(f"The whole pipeline against the extractors alone: {count:,} unique pages, docs/s")
    print(f"  kabar run, end to end, {workers} worker processes on both cores {rates['kabar']:6.1f}   "
          f"({run.seconds:.1f} s, peak RSS {run.peak_mib:.0f} MiB, CPU {run.cpu_seconds:.1f} s, articles {run.articles})")
    print(f"  newspaper4k extraction alone, 1 process            {rates['newspaper4k']:6.1f}   "
          f"(raised on {newspaper_failed} pages)")
    print(f"  raw trafilatura bare_extraction(with_metadata), 1 process {rates['trafilatura']:6.1f}")
    print(f"  kabar / newspaper4k {rates['kabar'] / rates['newspaper4k']:.2f}x (target >= {NEWSPAPER_TARGET})   "
          f"kabar / trafilatura {rates['kabar'] / rates['trafilatura']:.2f}x (target >= {TRAFILATURA_TARGET})")
    print(f"  kabar's steps: {step_breakdown(run)}")
    if before is not None:
        print(f"  baseline {other} ({commit_line(other).split(' ')[0]}): {count / before.seconds:.1f} docs/s ({before.seconds:.1f} s, "
              f"CPU {before.cpu_seconds:.1f} s); this checkout {run.seconds / before.seconds:.2f}x its time")
        print(f"  row counts {'the same in every table' if totals(run) == totals(before) else 'DIFFER'}: "
              f"{_totals_line(run)}" + ("" if totals(run) == totals(before) else f"   baseline: {_totals_line(before)}"))
    print()
    return run


def scale_figures(pages, counts: tuple[int, ...] = (1000, 5000), workers: int = 2,
                  measured: dict[int, Measured] | None = None) -> None:
    """`kabar run` over each of ``counts`` unique pages on a fresh home: docs/s and peak memory (a count
    in ``measured`` is not run again: the versus run of 1,000 pages is one of them)."""
    runs: dict[int, Measured] = dict(measured or {})
    with tempfile.TemporaryDirectory(prefix="kabar-bench-scale-") as tmp:
        for count in counts:
            if count not in runs:
                corpus = make_corpus(pages, count, Path(tmp) / f"pages-{count}")
                runs[count] = run_kabar(Path(tmp) / f"home-{count}", corpus, workers=workers)
    print(f"kabar run as the input grows ({workers} worker processes; target: docs/s within "
          f"{SCALE_SPREAD:.0%} of each other, peak RSS <= {SCALE_PEAK_MIB:,} MiB)")
    for count, run in sorted(runs.items()):
        print(f"  {count:>6,} pages {count / run.seconds:6.1f} docs/s   {run.seconds:6.1f} s   peak RSS {run.peak_mib:5.0f} MiB"
              f"   CPU {run.cpu_seconds:6.1f} s   articles {run.articles}")
        print(f"          steps: {step_breakdown(run)}")
    rates = [count / run.seconds for count, run in runs.items()]
    print(f"  spread {max(rates) / min(rates) - 1:.1%}   peak {max(run.peak_mib for run in runs.values()):.0f} MiB\n")


def totals(run: Measured) -> dict[str, int]:
    """Every table's row count after the run, from its summary's "warehouse totals" line."""
    found = re.search(r"warehouse totals\s+(.*)$", run.summary, re.M)
    return {table: int(rows) for table, rows in re.findall(r"(\w+) (\d+)", found.group(1))} if found else {}


def _totals_line(run: Measured) -> str:
    return ", ".join(f"{table} {rows}" for table, rows in totals(run).items())


def _url(index: int) -> str:
    return f"https://bench.kabar.invalid/doc/{index}"


def _newspaper_seconds(htmls: list[tuple[str, str]]) -> tuple[float, int]:
    """Seconds for the pages, and how many newspaper4k raised on (a Korean page wants nltk, an extra
    newspaper4k's plain install does not carry): their time counts, as it would for its users."""
    import newspaper

    failed = 0
    start = time.perf_counter()
    for html, url in htmls:
        article = newspaper.Article(url, fetch_images=False)   # extraction only: by default it downloads images
        try:
            article.download(input_html=html)
            article.parse()
        except Exception:   # noqa: BLE001 - counted, as a user's script would see it fail
            failed += 1
    return time.perf_counter() - start, failed


def _trafilatura_seconds(htmls: list[tuple[str, str]]) -> float:
    import trafilatura

    start = time.perf_counter()
    for html, url in htmls:
        trafilatura.bare_extraction(html, url=url, with_metadata=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=int, default=5000, help="then kabar run over --docs and this many pages (0: skip)")
    parser.add_argument("--baseline", default=None, help="baseline checkout (default $KABAR_BENCH_BASELINE)")
    arguments = parser.parse_args()
    gold = aeb_pages() + fundus_pages()
    versus_run = versus_figures(gold, arguments.docs, arguments.workers, arguments.baseline)
    if arguments.scale:
        scale_figures(gold, (arguments.docs, arguments.scale), arguments.workers, {arguments.docs: versus_run})

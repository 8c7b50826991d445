"""The whole pipeline against the extractors alone, side by side in one run on the same pages (issue 18):
`kabar run` end to end (extraction, metadata, entities, quotes, sources, clusters, checks, load) against
newspaper4k's extraction alone and raw trafilatura's ``bare_extraction(with_metadata=True)`` alone, each
extractor in one process. Printed, never asserted.

    .venv/bin/python -m bench.versus                  # 1,000 pages
    .venv/bin/python -m bench.versus --docs 469 --workers 2

The pages are the ``../shared`` gold pages (``$KABAR_SHARED``), copied until there are ``--docs`` of them,
each copy made unique by its URL and a marker (``bench.warc.unique_copy``), so every copy is a new
article for Kabar and the same work for the extractors. The extractors time their loop only (pages
already in memory, imports done); Kabar's figure is the whole command, start-up included. newspaper4k
comes from the bench-only extra (``make bench`` installs ``requirements-bench.lock``).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.engine import make_corpus
from bench.kabar import run_kabar, step_breakdown
from evaluation.corpora import aeb_pages, fundus_pages

NEWSPAPER_TARGET, TRAFILATURA_TARGET = 1.6, 0.5   # kabar run's docs/s over each extractor's, issue 18


def versus_figures(pages, count: int = 1000, workers: int = 2) -> dict[str, float]:
    """Docs/s of each contender on the same ``count`` unique pages, printed with the ratios; returned."""
    with tempfile.TemporaryDirectory(prefix="kabar-bench-versus-") as tmp:
        corpus = make_corpus(pages, count, Path(tmp) / "pages")
        htmls = [(path.read_bytes().decode("utf-8", "replace"), _url(index)) for index, path in
                 enumerate(sorted(corpus.iterdir()))]
        newspaper_seconds, newspaper_failed = _newspaper_seconds(htmls)
        rates = {"newspaper4k": count / newspaper_seconds, "trafilatura": count / _trafilatura_seconds(htmls)}
        run = run_kabar(Path(tmp) / "home", corpus, workers=workers)
        rates["kabar"] = count / run.seconds
    print(f"The whole pipeline against the extractors alone: {count:,} unique pages, docs/s")
    print(f"  kabar run, end to end, {workers} worker process(es)        {rates['kabar']:6.1f}   "
          f"({run.seconds:.1f} s, peak RSS {run.peak_mib:.0f} MiB, CPU {run.cpu_seconds:.1f} s, articles {run.articles})")
    print(f"  newspaper4k extraction alone, 1 process            {rates['newspaper4k']:6.1f}   "
          f"(raised on {newspaper_failed} pages)")
    print(f"  raw trafilatura bare_extraction(with_metadata), 1 process {rates['trafilatura']:6.1f}")
    print(f"  kabar / newspaper4k {rates['kabar'] / rates['newspaper4k']:.2f}x (target >= {NEWSPAPER_TARGET})   "
          f"kabar / trafilatura {rates['kabar'] / rates['trafilatura']:.2f}x (target >= {TRAFILATURA_TARGET})")
    print(f"  kabar's steps: {step_breakdown(run)}")
    print()
    return rates


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
    arguments = parser.parse_args()
    versus_figures(aeb_pages() + fundus_pages(), arguments.docs, arguments.workers)

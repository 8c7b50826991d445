"""Kabar's benchmark: figures measured side by side in one run, printed, never asserted.

    make bench                      # everything
    .venv/bin/python -m bench.run --docs 2000 --skip-modes
    .venv/bin/python -m bench.engine   # the engine figures alone (speed-up, crossover, fixed cost)

Needs ../shared (or $KABAR_SHARED) for the gold corpora. `kabar` runs are of this checkout's code
(``bench.kabar``); set KABAR_BENCH_BASELINE to another checkout (the issue's starting commit) to compare
metadata quality (``bench.metadata``), the quote stage and fixed costs (``bench.engine``).
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

from bench.bounds import bounds_figures
from bench.analyst import analyst_figures
from bench.engine import engine_speedup, fixed_cost, parallel_crossover
from bench.kabar import REPO, run_kabar
from bench.metadata import metadata_figures
from bench.outlet_health import outlet_health_figures
from bench.parity import parity_figures
from bench.quote_stage import quote_stage
from bench.rerun import rerun_cost
from bench.stages import stage_table
from bench.syndication import syndication_figures
from bench.versus import scale_figures, versus_figures
from bench.warc import backfill_speedup, partition_step
from evaluation.corpora import aeb_pages, fundus_pages, shared_dir
from evaluation.extraction import body_scores, kabar_extract, metadata_scores
from evaluation.scoring import score_bodies
from tests.slow_pages import write_slow_folder
from transforms.documents import decode_html
from transforms.extract import TRAFILATURA_OPTIONS

MODES = {
    "defaults": {},
    "include_comments=False": {"include_comments": False},
    "favor_precision": {"favor_precision": True, "include_comments": False},
    "fast": {"fast": True, "include_comments": False},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="unique documents for the engine speed-up")
    parser.add_argument("--repeats", type=int, default=3, help="alternating timing rounds for the extraction ratio")
    parser.add_argument("--skip-modes", action="store_true", help="skip the trafilatura mode comparison")
    parser.add_argument("--baseline", default=None,
                        help="baseline checkout for metadata, quotes and fixed cost (default $KABAR_BENCH_BASELINE)")
    args = parser.parse_args()
    if not (shared_dir() / "corpus").is_dir():
        print(f"bench: no gold data at {shared_dir()} (set KABAR_SHARED)", file=sys.stderr)
        return 2
    pages = aeb_pages() + fundus_pages()
    print(f"Kabar bench — {len(pages)} gold pages from {shared_dir()}\n")
    if not args.skip_modes:
        trafilatura_modes(pages)
    extraction_ratio(pages, args.repeats)
    quality(pages, args.baseline)
    entity_stage_ratio(pages, args.repeats)
    quote_and_source_stages(pages, args.repeats)
    quote_stage(args.baseline)
    syndication_figures()
    ner_through_pages()
    bounds_figures()
    slow_folder()
    engine_speedup(pages, args.docs)
    parallel_crossover(pages)
    fixed_cost(REPO, args.baseline)
    rerun_cost(pages)
    partition_step(pages)
    backfill_speedup(pages)
    versus_run = versus_figures(pages, baseline=args.baseline)
    scale_figures(pages, measured={1000: versus_run})
    parity_figures(args.baseline)
    stage_table(pages)
    analyst_figures()
    outlet_health_figures()
    return 0


def _raw(page, options):
    document = trafilatura.bare_extraction(decode_html(page.read_bytes()), url=page.url, with_metadata=True, **options)
    return document.text if document is not None else None


def trafilatura_modes(pages) -> None:
    """Why Kabar uses the mode it uses: body F1 and speed of each trafilatura mode."""
    print("trafilatura modes (raw bare_extraction, one process)")
    for name, options in MODES.items():
        start = time.perf_counter()
        texts = [_raw(page, options) for page in pages]
        elapsed = time.perf_counter() - start
        scores = "   ".join(
            f"{corpus} F1 {score_bodies([(t, p.body) for t, p in zip(texts, pages) if p.corpus == corpus]).f1:.4f}"
            for corpus in ("aeb", "fundus"))
        print(f"  {name:<24} {scores}   {len(pages) / elapsed:6.1f} docs/s")
    print(f"  Kabar uses: {TRAFILATURA_OPTIONS}\n")


def _best_alternating(repeats: int, first, second) -> tuple[float, float]:
    """Best wall seconds of two workloads timed in alternating rounds, so drift in machine load
    falls on both alike."""
    first_times, second_times = [], []
    for _ in range(repeats):
        for work, times in ((first, first_times), (second, second_times)):
            times.append(_timed(work))
    return min(first_times), min(second_times)


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def extraction_ratio(pages, repeats: int) -> None:
    """Kabar's extraction stage vs raw trafilatura with the same options, alternating rounds."""
    for page in pages[:10]:  # warm both paths (imports, language model) before timing
        _raw(page, TRAFILATURA_OPTIONS), kabar_extract(page)
    raw_time, kabar_time = _best_alternating(repeats, lambda: [_raw(page, TRAFILATURA_OPTIONS) for page in pages],
                                             lambda: [kabar_extract(page) for page in pages])
    raw_rate, kabar_rate = len(pages) / raw_time, len(pages) / kabar_time
    print(f"extraction stage, single process (best of {repeats} alternating rounds)")
    print(f"  raw trafilatura.bare_extraction  {raw_rate:7.1f} docs/s")
    print(f"  Kabar extraction stage           {kabar_rate:7.1f} docs/s")
    print(f"  ratio Kabar / raw                {kabar_rate / raw_rate:7.3f}   (target >= 0.85)\n")


def quality(pages, baseline: str | None = None) -> None:
    """Body F1 (Kabar vs raw trafilatura, same options) and Fundus metadata accuracy, then the same
    figures beside the baseline checkout's and trafilatura's own publication day (``bench.metadata``)."""
    print("quality")
    for corpus in ("aeb", "fundus"):
        group = [p for p in pages if p.corpus == corpus]
        articles = [kabar_extract(p) for p in group]
        raw = score_bodies([(_raw(p, TRAFILATURA_OPTIONS), p.body) for p in group])
        kabar = body_scores(group, articles)
        print(f"  {corpus:<7} body F1 Kabar {kabar.f1:.4f} (P {kabar.precision:.3f} R {kabar.recall:.3f})"
              f"   raw trafilatura {raw.f1:.4f}   difference {kabar.f1 - raw.f1:+.4f}")
        if corpus == "fundus":
            meta = metadata_scores(group, articles)
            print(f"  fundus  exact title {meta.title_exact:.3f} ({meta.title_pages} pages)   "
                  f">=1 author right {meta.author_any:.3f} ({meta.author_pages})   "
                  f"published_at to the minute {meta.published_minute:.3f} ({meta.dated_pages} zoned)")
    print()
    metadata_figures(baseline)


def entity_stage_ratio(pages, repeats: int) -> None:
    """Kabar's entity stage (model + rules, ``find_entities_batch`` in ``ENRICH_CHUNK`` chunks as the
    pipeline runs it) vs raw ``nlp.pipe`` of the same model on the same texts, per model language."""
    from evaluation.ner import read_conll
    from transforms.batch import ENRICH_CHUNK
    from transforms.entities import find_entities_batch
    from transforms.entities.models import ner_model

    articles = [a for a in (kabar_extract(p) for p in pages) if a is not None and a.text]
    idner = [s.text for name in ("train.txt", "dev.txt")   # throughput only: every sentence, 10 per text
             for s in read_conll(shared_dir() / "nlp" / "idner-news-2k" / name)]
    groups = {"en": [a.text for a in articles if a.language == "en"],
              "id": [a.text for a in articles if a.language == "id"] + ["\n".join(idner[i:i + 10]) for i in range(0, len(idner), 10)],
              "fr": [a.text for a in articles if a.language == "fr"]}   # the corpus's French pages (fundus: 3)
    print(f"entity stage vs raw nlp.pipe, single process (best of {repeats} alternating rounds)")
    target, missed = 0.95, []   # issue 18: at least 0.95x raw nlp.pipe of the same model, every language
    for language, texts in groups.items():
        nlp = ner_model(language).nlp
        chunks = [texts[i:i + ENRICH_CHUNK] for i in range(0, len(texts), ENRICH_CHUNK)]
        find_entities_batch(texts[:4], [language] * len(texts[:4]))   # warm up lexicons and the model
        raw_time, kabar_time = _best_alternating(  # defaults bind this iteration's values
            repeats, lambda nlp=nlp, chunks=chunks: [list(nlp.pipe(chunk)) for chunk in chunks],
            lambda chunks=chunks, language=language: [find_entities_batch(c, [language] * len(c)) for c in chunks])
        raw_rate, kabar_rate = len(texts) / raw_time, len(texts) / kabar_time
        ratio = kabar_rate / raw_rate
        missed += [language] if ratio < target else []
        print(f"  {language}: {len(texts)} texts   raw nlp.pipe {raw_rate:6.1f} docs/s   Kabar entity stage "
              f"{kabar_rate:6.1f} docs/s   ratio {ratio:.3f}   (target >= {target})")
    print(f"  below the target: {', '.join(missed)}\n" if missed else "  every language meets the target\n")


def quote_and_source_stages(pages, repeats: int) -> None:
    """Docs/s of the quote stage (given the entity mentions, as the pipeline hands them over) and of
    the source stage (publisher, citations, credits), single process, best of ``repeats``."""
    from transforms.entities import find_entities_batch
    from transforms.quotes import find_quotes
    from transforms.sources import find_agency_citations, publisher_source

    articles = [a for a in (kabar_extract(p) for p in pages) if a is not None and a.text]
    mentions = find_entities_batch([a.text for a in articles], [a.language for a in articles])
    chars = sum(len(a.text) for a in articles)
    stages = {
        "quotes": lambda: [find_quotes(a.text, a.language, m) for a, m in zip(articles, mentions)],
        "sources": lambda: [(find_agency_citations(a.text, a.captions), publisher_source(a.url, a.site_name, a.language))
                            for a in articles],
    }
    print(f"quote and source stages, single process ({len(articles)} articles, best of {repeats})")
    for name, work in stages.items():
        best = min(_timed(work) for _ in range(repeats))
        print(f"  {name:<8} {len(articles) / best:8.1f} docs/s   {chars / best / 1000:8.1f} k chars/s")
    print()


def ner_through_pages() -> None:
    """idner-news-2k dev: the model on gold tokens (`kabar eval ner`) vs the same sentences written as
    small news pages and stored by `kabar run` (extraction, entity stage, warehouse)."""
    from evaluation.ner import evaluate_model, load_model, read_conll
    from evaluation.ner_pages import score_warehouse, write_pages

    sentences = read_conll(shared_dir() / "nlp" / "idner-news-2k" / "dev.txt")
    model = evaluate_model(load_model("id"), sentences)["scores"]["overall"]["f1"]
    with tempfile.TemporaryDirectory(prefix="kabar-bench-ner-") as tmp:
        pages = write_pages(sentences, Path(tmp) / "pages")
        run_kabar(Path(tmp) / "home", Path(tmp) / "pages", steps=False)
        warehouse = Path(tmp) / "home" / "warehouse.duckdb"
        stored = score_warehouse(pages, warehouse)
        convention = score_warehouse(pages, warehouse, count_untagged_countries=False)
    per_type = "  ".join(f"{kind} {stored[kind].f1:.3f}" for kind in ("PER", "ORG", "LOC"))
    print("NER, idner-news-2k dev (typed exact spans)")
    print(f"  kabar eval ner (model on sentence text) F1 {model:.4f}")
    print(f"  kabar run on {len(pages)} pages (stored)      F1 {stored['overall'].f1:.4f}   ({per_type})")
    print(f"  difference                              {stored['overall'].f1 - model:+.4f}   (target >= -0.02)")
    print(f"  stored, countries the gold leaves untagged set aside: F1 {convention['overall'].f1:.4f} "
          f"(difference {convention['overall'].f1 - model:+.4f})\n")


def slow_folder() -> None:
    """`kabar run` on five pages that once took 30 minutes and 2.8 GB (issue 11): two ordinary pages, a
    9 MB text node, 50,000 links in the prose, an element with 100,000 attributes. Target: ≤ 2 min, ≤ 1.5 GB."""
    with tempfile.TemporaryDirectory(prefix="kabar-bench-slow-") as tmp:
        folder = write_slow_folder(Path(tmp) / "slow")
        run = run_kabar(Path(tmp) / "home", folder, steps=False)
    rejects = ", ".join(f"{reason} {count}" for reason, count in re.findall(r"^ {4}(\S+) +(\d+)$", run.summary, re.M))
    print("slow folder: `kabar run` on the five pathological pages (target <= 120 s, <= 1,536 MiB)")
    print(f"  {run.seconds:6.1f} s   peak RSS {run.peak_mib:.0f} MiB   articles {run.articles}   "
          f"rejects: {rejects or 'none'}\n")


if __name__ == "__main__":
    sys.exit(main())

"""Where `kabar run` spends its time, stage by stage, in seconds per 1,000 documents (issue 18). Printed,
never asserted.

One `kabar run --workers 1` (Dagster's in-process executor: every stage in one process) on unique gold
pages runs under cProfile in a child process; each stage's time is the cumulative time of the
functions that do it (``STAGES``), the fixed cost what the run spent outside every per-document stage
(interpreter start-up and imports, the Dagster run, model and lexicon loads, the summary). cProfile
slows Python-heavy code more than C-heavy code (spaCy's network, lxml), so the shares are a guide to
where to look, and the unprofiled docs/s of ``bench.versus`` the figure to judge by.

    .venv/bin/python -m bench.stages --docs 500
"""
from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.engine import make_corpus
from bench.kabar import REPO, kabar_env
from evaluation.corpora import aeb_pages, fundus_pages

# Stage -> the (file suffix, function) whose cumulative times make it up; none of them calls another's.
STAGES = {
    "read/decode": [("transforms/documents.py", "sniff"), ("transforms/encoding.py", "decode_html"),
                    ("transforms/bounds.py", "bound_markup")],
    "extraction (trafilatura)": [("trafilatura/core.py", "bare_extraction")],
    "metadata": [("transforms/metadata.py", "read_metadata"), ("transforms/page_dates.py", "published_time"),
                 ("transforms/page_dates.py", "modified_time"), ("transforms/authors.py", "clean_authors"),
                 ("transforms/extract.py", "_fallback_authors")],
    "language": [("transforms/text_stats.py", "detect_language")],
    "entities (incl. model loads)": [("transforms/batch.py", "_entities_of")],
    "quotes": [("transforms/batch.py", "_quote_rows")],
    "sources": [("transforms/batch.py", "source_frames")],
    "clusters": [("transforms/syndication.py", "signature_frame"), ("transforms/syndication.py", "cluster_frame")],
    "validation": [("pipeline/quality.py", "validate")],
    "load": [("warehouse/io.py", "load_batch")],
}
IN_CHUNKS = ("read/decode", "extraction (trafilatura)", "metadata", "language", "entities (incl. model loads)",
             "quotes", "sources", "clusters")   # the stages inside a chunk step
CHUNK = [("pipeline/process.py", "process_chunk")]
MODEL_LOADS = [("transforms/entities/models.py", "ner_model")]


def stage_table(pages, count: int = 500) -> dict[str, float]:
    """Seconds per 1,000 documents of each stage and of the fixed cost, printed; returned."""
    with tempfile.TemporaryDirectory(prefix="kabar-bench-stages-") as tmp:
        corpus = make_corpus(pages, count, Path(tmp) / "pages")
        profile = Path(tmp) / "run.prof"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "orchestration.cli", "run", "-q",
                        "--workers", "1", str(corpus)], cwd=REPO, env=kabar_env(Path(tmp) / "home"), check=True,
                       stdout=subprocess.DEVNULL)
        stats = pstats.Stats(str(profile))
    total = stats.total_tt
    seconds = {stage: _cumulative(stats, functions) for stage, functions in STAGES.items()}
    loads = _cumulative(stats, MODEL_LOADS)
    seconds["entities (incl. model loads)"] -= loads
    seconds["other work in the chunk step"] = _cumulative(stats, CHUNK) - loads - sum(seconds[s] for s in IN_CHUNKS)
    fixed = total - sum(seconds.values())
    print(f"Where a run's time goes: `kabar run --workers 1` on {count:,} unique pages under cProfile "
          f"({total:.1f} s profiled; shares, not speeds)")
    for stage, value in seconds.items():
        print(f"  {stage.replace(' (incl. model loads)', ''):<30} {1000 * value / count:7.1f} s per 1,000 docs")
    print(f"  {'fixed cost':<30} {fixed:7.1f} s per run   (start-up, imports, the Dagster run, "
          f"model loads {loads:.1f} s, the summary)")
    print()
    return {**seconds, "fixed": fixed}


def _cumulative(stats: pstats.Stats, functions: list[tuple[str, str]]) -> float:
    """The summed cumulative seconds of ``functions`` (a recursive function counted once per outer call)."""
    return sum(cumulative for (path, _, name), (_, _, _, cumulative, _) in stats.stats.items()
               if any(path.endswith(suffix) and name == wanted for suffix, wanted in functions))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=500)
    stage_table(aeb_pages() + fundus_pages(), parser.parse_args().docs)

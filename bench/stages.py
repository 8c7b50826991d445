"""Where `kabar run` spends its time, stage by stage, in seconds per 1,000 documents (issue 18). Printed,
never asserted.

One `kabar run --workers 1` (Dagster's in-process executor: every stage in one process) on unique gold
pages runs in a child process under a CPU-time stack sampler (``bench.stage_sampler``): the CPU time
between samples counts for the innermost stage function on the stack (``STAGES``); what falls in a chunk step outside
them is "other work in the chunk step", and what falls outside every stage (interpreter start-up and
imports, the Dagster run, the summary) the fixed cost, with the model loads.

    .venv/bin/python -m bench.stages --docs 500
"""
from __future__ import annotations

import argparse
import json
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
    "extraction (trafilatura)": [("trafilatura/utils.py", "load_html"), ("trafilatura/core.py", "bare_extraction")],
    "metadata": [("transforms/metadata.py", "read_metadata"), ("transforms/page_dates.py", "published_time"),
                 ("transforms/page_dates.py", "modified_time"), ("transforms/authors.py", "clean_authors"),
                 ("transforms/extract.py", "_fallback_authors")],
    "language": [("transforms/text_stats.py", "detect_language")],
    "entities": [("transforms/batch.py", "_entities_of")],
    "quotes": [("transforms/batch.py", "_quote_rows")],
    "sources": [("transforms/batch.py", "source_frames")],
    "clusters": [("transforms/syndication.py", "signature_frame"), ("transforms/syndication.py", "cluster_frame")],
    "validation": [("pipeline/quality.py", "validate")],
    "load": [("warehouse/io.py", "load_batch")],
}
CHUNK_REST = "other work in the chunk step"
MODEL_LOADS = "model loads"
# What the sampler looks for: the stages, the model loads inside the entity stage, and the chunk step around them.
SAMPLED = {**STAGES, MODEL_LOADS: [("transforms/entities/models.py", "ner_model")],
           CHUNK_REST: [("pipeline/process.py", "process_chunk")]}


def stage_table(pages, count: int = 500) -> dict[str, float]:
    """CPU seconds per 1,000 documents of each stage, and the fixed cost of the run, printed; returned."""
    with tempfile.TemporaryDirectory(prefix="kabar-bench-stages-") as tmp:
        corpus = make_corpus(pages, count, Path(tmp) / "pages")
        out = Path(tmp) / "samples.json"
        subprocess.run([sys.executable, "-m", "bench.stage_sampler", str(out), "run", "-q", "--workers", "1",
                        str(corpus)], cwd=REPO, env=kabar_env(Path(tmp) / "home"), check=True, stdout=subprocess.DEVNULL)
        sampled = json.loads(out.read_text())
    seconds = {stage: sampled["seconds"].get(stage, 0.0) for stage in SAMPLED}
    fixed = sampled["seconds"].get("other", 0.0)
    print(f"Where a run's CPU time goes: `kabar run --workers 1` on {count:,} unique pages, sampled every "
          f"{sampled['interval'] * 1000:.0f} ms of CPU ({sum(seconds.values()) + fixed:.1f} s)")
    for stage in [*STAGES, CHUNK_REST]:
        print(f"  {stage:<30} {1000 * seconds[stage] / count:7.1f} s per 1,000 docs")
    print(f"  {'fixed cost':<30} {fixed + seconds[MODEL_LOADS]:7.1f} s per run   (model loads {seconds[MODEL_LOADS]:.1f} s; "
          f"start-up, imports, the Dagster run, the summary {fixed:.1f} s)")
    print()
    return {**seconds, "fixed": fixed}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=500)
    stage_table(aeb_pages() + fundus_pages(), parser.parse_args().docs)

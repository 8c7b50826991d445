"""Nothing bought with less work (issue 18): the quality figures of this checkout beside those of the
issue's starting commit (``$KABAR_BENCH_BASELINE``), each computed by its own checkout's code in a
process of its own: body F1 per corpus, the Fundus metadata figures, and the F1 of the idner-news-2k dev
entities stored by `kabar run` (the row counts of a whole run are compared by ``bench.versus``).
A difference over ``TOLERANCE`` is flagged. Printed, never asserted.

    KABAR_BENCH_BASELINE=../kabar-base .venv/bin/python -m bench.parity
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.engine import BASELINE_ENV, baseline_root, commit_line
from bench.kabar import REPO, kabar_env

TOLERANCE = 0.002
# Run in each checkout with only modules the starting commit has too; prints one JSON object.
FIGURES = """
import json, sys, tempfile
from pathlib import Path
from bench.kabar import run_kabar
from evaluation.corpora import aeb_pages, fundus_pages, shared_dir
from evaluation.extraction import body_scores, kabar_extract, metadata_scores
from evaluation.ner import read_conll
from evaluation.ner_pages import score_warehouse, write_pages

figures = {}
for corpus, pages in (("aeb", aeb_pages()), ("fundus", fundus_pages())):
    articles = [kabar_extract(page) for page in pages]
    figures[f"{corpus} body F1"] = body_scores(pages, articles).f1
    if corpus == "fundus":
        meta = metadata_scores(pages, articles)
        figures.update({"fundus exact title": meta.title_exact, "fundus >=1 author right": meta.author_any,
                        "fundus published_at to the minute": meta.published_minute})
sentences = read_conll(shared_dir() / "nlp" / "idner-news-2k" / "dev.txt")
with tempfile.TemporaryDirectory() as tmp:
    pages = write_pages(sentences, Path(tmp) / "pages")
    run_kabar(Path(tmp) / "home", Path(tmp) / "pages", steps=False, root=Path.cwd())
    stored = score_warehouse(pages, Path(tmp) / "home" / "warehouse.duckdb")
figures["idner dev NER F1, stored by kabar run"] = stored["overall"].f1
for kind in ("PER", "ORG", "LOC"):
    figures[f"idner dev NER F1 {kind}"] = stored[kind].f1
print(json.dumps(figures))
"""


def parity_figures(baseline: str | Path | None = None) -> None:
    other = baseline_root(baseline)
    print(f"quality beside the starting commit (each checkout's own code; flagged beyond +-{TOLERANCE})")
    if other is None:
        print(f"  (skipped: set {BASELINE_ENV} to the issue's starting commit, e.g. `git worktree add ../kabar-base 4090447`)\n")
        return
    now, before = checkout_figures(REPO), checkout_figures(other)
    print(f"  this checkout {commit_line(REPO)}\n  baseline      {commit_line(other)}")
    for name, value in now.items():
        was = before.get(name)
        change = "" if was is None else f"{value - was:+.4f}" + ("   FLAGGED" if abs(value - was) > TOLERANCE else "")
        print(f"  {name:<40} {value:.4f}   baseline {'-' if was is None else f'{was:.4f}'}   {change}")
    print()


def checkout_figures(root: Path) -> dict[str, float]:
    """``FIGURES`` computed by the code of the checkout at ``root``."""
    done = subprocess.run([sys.executable, "-c", FIGURES], cwd=root, env=kabar_env(Path("/nonexistent"), root),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    parity_figures(sys.argv[1] if len(sys.argv) > 1 else None)

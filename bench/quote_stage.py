"""The quote stage of this checkout against a baseline checkout, on the speaker gold texts.

    KABAR_BENCH_BASELINE=../kabar-base14 .venv/bin/python -m bench.quote_stage

Each checkout's own ``find_entities`` and ``find_quotes`` run in a process of their own on the same
texts (PolNeAR dev and the first 300 of train, PFSA-ID dev), in alternating rounds; the quote finder is
timed apart from the entity stage that hands it the mentions, as ``kabar run`` does in one step.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.engine import BASELINE_ENV, baseline_root
from bench.kabar import REPO
from evaluation.corpora import shared_dir

_TIMER = """
import json, sys, time
from pathlib import Path
from transforms.entities import find_entities
from transforms.quotes import find_quotes
nlp = Path(sys.argv[1])
texts = [(p.read_text(encoding="utf-8"), "en") for p in sorted((nlp / "polnear/dev/text").glob("*.txt"))]
texts += [(p.read_text(encoding="utf-8"), "en") for p in sorted((nlp / "polnear/train/text").glob("*.txt"))[:300]]
texts += [(p.read_text(encoding="utf-8"), "id") for p in sorted((nlp / "pfsa-id/dev/pages-src").glob("*.txt"))]
for text, language in (texts[0], texts[-1]):
    find_quotes(text, language, find_entities(text, language))
entities = quotes = 0.0
for text, language in texts:
    start = time.perf_counter()
    mentions = find_entities(text, language)
    middle = time.perf_counter()
    find_quotes(text, language, mentions)
    entities, quotes = entities + middle - start, quotes + time.perf_counter() - middle
print(json.dumps({"docs": len(texts), "entities": entities, "quotes": quotes}))
"""


def _measure(root: Path, nlp: Path) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", _TIMER, str(nlp)], cwd=root, env=environment,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def quote_stage(baseline: str | Path | None = None, rounds: int = 2) -> None:
    """Docs/s of the quote finder alone and of entities + quotes, this checkout beside the baseline."""
    nlp = shared_dir() / "nlp"
    other = baseline_root(baseline)
    print("quote stage against the baseline checkout (speaker gold texts)")
    if other is None or not (nlp / "pfsa-id").is_dir():
        print(f"  (skipped: set {BASELINE_ENV} to the issue's starting checkout; needs {nlp / 'pfsa-id'})\n")
        return
    roots = {"current": REPO, "baseline": other}
    runs: dict[str, list[dict]] = {label: [] for label in roots}
    for round_ in range(rounds):
        for label in (roots if round_ % 2 == 0 else reversed(list(roots))):
            runs[label].append(_measure(roots[label], nlp))
    rates = {label: (statistics.median(r["docs"] / r["quotes"] for r in measured),
                     statistics.median(r["docs"] / (r["entities"] + r["quotes"]) for r in measured))
             for label, measured in runs.items()}
    for label, (alone, stage) in rates.items():
        print(f"  {label:<9} quotes alone {alone:8.1f} docs/s   entities + quotes {stage:6.2f} docs/s")
    print(f"  ratio     quotes alone {rates['current'][0] / rates['baseline'][0]:8.2f}x        "
          f"entities + quotes {rates['current'][1] / rates['baseline'][1]:6.2f}x   (medians of {rounds} rounds)\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=None, help=f"baseline checkout (default ${BASELINE_ENV})")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    quote_stage(args.baseline, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

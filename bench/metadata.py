"""Extraction quality of this checkout beside a baseline checkout and trafilatura, on the gold pages.

    KABAR_BENCH_BASELINE=../kabar-base15 .venv/bin/python -m bench.metadata

Each checkout extracts the pages in a process of its own (its own ``kabar_extract``) and hands back
what it found as JSON; both are scored here with this checkout's metrics, so the figures compare
extractors, not metric versions. Fundus figures are also given for the even and odd pages apart:
rules were developed on the even half and confirmed on the odd one.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from bench.engine import BASELINE_ENV, baseline_root
from bench.kabar import REPO
from evaluation.corpora import GoldPage, aeb_pages, fundus_pages
from evaluation.extraction import body_scores, metadata_scores, same_day, site_name_titles, trafilatura_day

_EXTRACT = """
import json, sys
from evaluation.corpora import aeb_pages, fundus_pages
from evaluation.extraction import kabar_extract
found = []
for page in aeb_pages() + fundus_pages():
    a = kabar_extract(page)
    found.append(None if a is None else {
        "title": a.title, "authors": a.authors, "site_name": a.site_name, "text": a.text,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "published_at_precision": a.published_at_precision})
json.dump(found, sys.stdout)
"""


def _extracted(root: Path) -> list[SimpleNamespace | None]:
    """The articles the checkout at ``root`` extracts from the gold pages, in page order."""
    environment = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", _EXTRACT], cwd=root, env=environment,
                          capture_output=True, text=True, check=True)
    return [None if item is None else SimpleNamespace(
        **{**item, "published_at": datetime.fromisoformat(item["published_at"]) if item["published_at"] else None})
        for item in json.loads(done.stdout)]


def _figures(pages: list[GoldPage], articles: list) -> dict[str, str]:
    """One column of the table: body F1 per corpus, then Fundus metadata, whole (even half / odd half)."""
    fundus = [(p, a) for p, a in zip(pages, articles) if p.corpus == "fundus"]
    halves = [fundus, fundus[0::2], fundus[1::2]]
    scores = [metadata_scores([p for p, _ in half], [a for _, a in half]) for half in halves]

    def split(name: str, form: str) -> str:
        whole, even, odd = (form.format(getattr(score, name)) for score in scores)
        return f"{whole} ({even}/{odd})"

    column = {f"body F1 {corpus}": f"{body_scores(*zip(*[(p, a) for p, a in zip(pages, articles) if p.corpus == corpus])).f1:.4f}"
              for corpus in ("aeb", "fundus")}
    return column | {
        "exact title": split("title_exact", "{:.3f}"),
        ">=1 author right": split("author_any", "{:.3f}"),
        "publication day": split("published_day", "{:.3f}"),
        "to the minute": split("published_minute", "{:.3f}"),
        "junk authors": split("junk_authors", "{}"),
        "titles = site name": f"{site_name_titles(pages, articles)}",
    }


def _trafilatura_days(fundus: list[GoldPage]) -> str:
    """trafilatura's own day accuracy on the same Fundus pages, whole (even / odd)."""
    hits = [bool(p.published) and same_day(_day(trafilatura_day(p)), "day", p.published) for p in fundus]
    dated = [bool(p.published) for p in fundus]
    rate = lambda h, d: sum(h) / max(1, sum(d))  # noqa: E731
    return f"{rate(hits, dated):.3f} ({rate(hits[0::2], dated[0::2]):.3f}/{rate(hits[1::2], dated[1::2]):.3f})"


def _day(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def metadata_figures(baseline: str | Path | None = None) -> None:
    """The table: this checkout, the baseline checkout (``baseline`` or ``$KABAR_BENCH_BASELINE``) and
    trafilatura's own day accuracy."""
    pages = aeb_pages() + fundus_pages()
    columns = {"current": _figures(pages, _extracted(REPO))}
    other = baseline_root(baseline)
    if other is not None:
        columns["baseline"] = _figures(pages, _extracted(other))
    fundus = [p for p in pages if p.corpus == "fundus"]
    print(f"extraction quality against the baseline checkout ({len(pages)} pages; metadata on the "
          f"{len(fundus)} Fundus pages, whole (even/odd halves))")
    if other is None:
        print(f"  (baseline skipped: set {BASELINE_ENV} to the issue's starting checkout)")
    print(f"  {'':<20}" + "".join(f"{label:<26}" for label in columns))
    for row in columns["current"]:
        print(f"  {row:<20}" + "".join(f"{column[row]:<26}" for column in columns.values()))
    print(f"  trafilatura's own publication day {_trafilatura_days(fundus)}   (day in the gold's own offset)")
    print("  junk authors: names sharing no word with the page's gold authors (the outlet, a widget label, a wrong "
          "byline);\n  titles = site name: on all pages, against the page's site name and the gold publisher\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=None, help=f"baseline checkout (default ${BASELINE_ENV})")
    metadata_figures(parser.parse_args().baseline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

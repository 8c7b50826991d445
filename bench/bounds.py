"""The page bounds against real pages: how many pages reach each bound (must be none) and the
largest value seen of each quantity next to its limit (``transforms/bounds.py`` says why each limit
is where it is).

    .venv/bin/python -m bench.bounds          # also part of `make bench`

Reads the gold corpora and the seed in ../shared (or $KABAR_SHARED) and the bundled ``samples/``.
Printed, never asserted (``tests/unit/test_bounds.py`` asserts that no real page reaches a bound).
"""
from __future__ import annotations

import gzip
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from evaluation.corpora import REPO_ROOT, shared_dir
from transforms.bounds import (MAX_DEPTH, MAX_ELEMENT_ATTRIBUTES, MAX_ELEMENTS, MAX_LINKS, MAX_PAGE_ATTRIBUTES,
                               MAX_TEXT_CHARS, BoundedMarkup, bound_markup)
from transforms.documents import decode_html
from transforms.extract import extract_article

# (label, MarkupSize field or "text", limit)
QUANTITIES = (
    ("nesting depth", "depth", MAX_DEPTH),
    ("elements", "elements", MAX_ELEMENTS),
    ("links", "links", MAX_LINKS),
    ("attributes on one element", "element_attributes", MAX_ELEMENT_ATTRIBUTES),
    ("attributes on the page", "attributes", MAX_PAGE_ATTRIBUTES),
    ("article text (characters)", "text", MAX_TEXT_CHARS),
)


def real_pages(root: Path | None = None) -> Iterator[tuple[str, str]]:
    """``(name, decoded html)`` of every non-empty page: shared corpora, the seed, the bundled samples."""
    base = root or shared_dir()
    paths = (sorted((base / "corpus").glob("*/html/*.html.gz")) + sorted((base / "seed").glob("*.html"))
             + sorted((REPO_ROOT / "samples").glob("*.html")))
    for path in paths:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        if data.strip():
            folder = path.parent.parent if path.parent.name == "html" else path.parent   # corpus/<name>/html/
            yield f"{folder.name}/{path.name}", decode_html(data)


def page_quantities(name: str, html: str) -> tuple[dict[str, int], bool, float]:
    """The measured quantities of one page, whether ``bound_markup`` left it as it is, and the scan's seconds."""
    start = time.perf_counter()
    bounded = bound_markup(html)
    seconds = time.perf_counter() - start
    article = extract_article(html, document_id=name, origin=name)
    values = {"text": len(getattr(article, "text", ""))}
    if isinstance(bounded, BoundedMarkup):
        values |= {field: getattr(bounded.size, field) for _, field, _ in QUANTITIES if field != "text"}
    untouched = isinstance(bounded, BoundedMarkup) and bounded.html == html and not bounded.is_truncated
    return values, untouched, seconds


def bounds_figures(root: Path | None = None) -> None:
    """Per quantity: the largest value over the real pages, on which page, the limit, and how many
    pages are over it; then how many pages ``bound_markup`` changed and how fast it read them."""
    pages = list(real_pages(root))
    measured = [(name, *page_quantities(name, html)) for name, html in pages]
    chars = sum(len(html) for _, html in pages)
    scan_seconds = sum(seconds for *_, seconds in measured)
    print(f"Page bounds on {len(pages)} real pages (shared corpora, seed, samples)")
    print(f"  {'quantity':<27} {'max':>9} {'limit':>9} {'pages over':>11}   page with the max")
    for label, field, limit in QUANTITIES:
        values = [(values.get(field, 0), name) for name, values, _, _ in measured]
        top, page = max(values)
        over = sum(value > limit for value, _ in values)
        print(f"  {label:<27} {top:>9,} {limit:>9,} {over:>11}   {page}")
    changed = sum(not untouched for _, _, untouched, _ in measured)
    print(f"  pages bound_markup changed or rejected: {changed} (must be 0)")
    print(f"  markup scan: {chars / 1e6:.1f} M characters in {scan_seconds:.2f} s "
          f"({chars / scan_seconds / 1e6:.0f} M characters/s)\n")


if __name__ == "__main__":
    if not (shared_dir() / "corpus").is_dir():
        print(f"bench.bounds: no gold data at {shared_dir()} (set KABAR_SHARED)", file=sys.stderr)
        sys.exit(2)
    bounds_figures()

"""Keyword search on a warehouse: printed, never asserted. The index build from scratch, a search that
finds the index current (the fingerprint of the articles plus the query), and the median of a few
queries with and without filters. ``bench.analyst`` runs it on the synthetic 10,000-article warehouse."""
from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

from warehouse.search import EVERYTHING, Filters, refresh_index, search

QUERIES = {
    "a name": ("Prabowo", EVERYTHING),
    "two Indonesian words": ("banjir pemerintah", EVERYTHING),
    "English, one outlet": ("inflation", Filters(outlet="reuters.com")),
    "a week in Indonesian": ("harga beras", Filters(language="id", since=date(2026, 9, 7), until=date(2026, 9, 13))),
}
REPEATS = 7


def search_figures(warehouse: Path, home: Path) -> None:
    """Time searches of ``warehouse`` with the index under ``home`` (none there yet: the first builds it)."""
    build = _timed_search(warehouse, home, "Jokowi", EVERYTHING, expect_build=True)
    reuse = _timed_search(warehouse, home, "Jokowi", EVERYTHING, expect_build=False)
    print("  keyword search (kabar search)")
    print(f"    index build (first search)                   {build * 1000:6.0f} ms")
    print(f"    search reusing the index                     {reuse * 1000:6.0f} ms")
    check = statistics.median(_timed_check(warehouse, home) for _ in range(REPEATS))
    print(f"    of which the freshness check                 {check * 1000:6.0f} ms   (fingerprint of the articles)")
    for name, (query, filters) in QUERIES.items():
        times = [_timed_search(warehouse, home, query, filters, expect_build=False) for _ in range(REPEATS)]
        print(f"    {name + f' ({query!r})':<44} {statistics.median(times) * 1000:6.0f} ms   median of {REPEATS}")


def _timed_search(warehouse: Path, home: Path, query: str, filters: Filters, *, expect_build: bool) -> float:
    """Seconds of one whole search (fingerprint, query, snippets); says so if it (re)built unexpectedly."""
    start = time.perf_counter()
    found = search(warehouse, home, query, filters)
    elapsed = time.perf_counter() - start
    if found.index_built != expect_build:
        print(f"  note: the index was {'' if found.index_built else 'not '}built for {query!r}")
    return elapsed


def _timed_check(warehouse: Path, home: Path) -> float:
    """Seconds to find the index current: the warehouse's fingerprint against the index's."""
    start = time.perf_counter()
    if refresh_index(warehouse, home):
        print("  note: the freshness check rebuilt the index")
    return time.perf_counter() - start


"""What analysts wait for, on one synthetic warehouse of 10,000 articles (``bench.analyst_warehouse``):
keyword search (``bench.search``) and the report (``bench.report``). Printed, never asserted.

    .venv/bin/python -m bench.analyst                    # 10,000 articles
    .venv/bin/python -m bench.analyst --articles 50000
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.analyst_warehouse import build_bench_warehouse
from bench.report import report_figures
from bench.search import search_figures


def analyst_figures(articles: int = 10_000) -> None:
    with tempfile.TemporaryDirectory(prefix="kabar-bench-analyst-") as tmp:
        home = Path(tmp)
        warehouse = home / "warehouse.duckdb"
        start = time.perf_counter()
        build_bench_warehouse(warehouse, articles)
        print(f"Search and report on a synthetic warehouse of {articles:,} articles "
              f"(generated and loaded in {time.perf_counter() - start:.1f} s)")
        search_figures(warehouse, home)
        report_figures(warehouse)
        print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    analyst_figures(parser.parse_args().articles)

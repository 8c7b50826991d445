"""How long ``kabar report`` takes on a warehouse: reading every chart's numbers and writing the page
(median of 3), printed, never asserted. ``bench.analyst`` runs it on the synthetic 10,000-article
warehouse; ``python -m bench.report PATH/warehouse.duckdb`` on any other."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipeline.warehouse_report import read_report, write_report

RUNS = 3


def report_figures(warehouse: Path) -> float:
    """Print and return the median seconds of building the report of ``warehouse`` (into a temporary folder)."""
    times = []
    with tempfile.TemporaryDirectory(prefix="kabar-bench-report-") as folder:
        for _ in range(RUNS):
            start = time.perf_counter()
            page = write_report(read_report(warehouse), Path(folder))
            times.append(time.perf_counter() - start)
        size = page.stat().st_size
    median = statistics.median(times)
    print(f"  report (kabar report)                          {median * 1000:6.0f} ms   median of {RUNS}, "
          f"report.html {size / 1024:,.0f} kB")
    return median


if __name__ == "__main__":
    report_figures(Path(sys.argv[1]))

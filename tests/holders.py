"""Other processes that hold what a run needs: the home's writer lock, the warehouse file."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_WRITER_LOCK = """
    import sys, time
    from pathlib import Path
    from orchestration.writer_lock import writer_lock
    with writer_lock(Path(sys.argv[1]), wait_seconds=0):
        print("ready", flush=True)
        time.sleep(float(sys.argv[2]))
        (Path(sys.argv[1]) / "releasing").touch()   # written before the lock goes: a later holder sees it
"""
_WAREHOUSE = """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[3] == "read-only")
    print("ready", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
"""


def _holding(code: str, *args: str) -> subprocess.Popen:
    """A child process running ``code``, returned once it holds what it takes."""
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == "ready"
    return process


def hold_writer_lock(home: Path, seconds: float) -> subprocess.Popen:
    """Another run's writer lock on ``home`` for ``seconds``."""
    return _holding(_WRITER_LOCK, str(home), str(seconds))


def hold_warehouse(path: Path, seconds: float, *, read_only: bool = False) -> subprocess.Popen:
    """Another process (an analyst's query, a `duckdb` shell) holding the warehouse file for ``seconds``."""
    return _holding(_WAREHOUSE, str(path), str(seconds), "read-only" if read_only else "read-write")

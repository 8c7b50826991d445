"""How the bench runs Kabar: the CLI of a checkout (this one unless told otherwise) in a child process,
with its wall time, peak memory, CPU time and, from the run's Dagster event log, where the time went.

A checkout's code is run as ``python -m orchestration.cli`` with that checkout as working directory and
``PYTHONPATH``, so the figures are those of the code in the checkout, not of whichever Kabar is
installed in the environment (an editable install of another worktree, say).
"""
from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_PR_SET_CHILD_SUBREAPER = 36
_REAP_SECONDS = 60.0


def kabar_command() -> list[str]:
    """The ``kabar`` command of a checkout, run with the checkout as ``cwd`` and ``kabar_env``."""
    return [sys.executable, "-m", "orchestration.cli"]


def kabar_env(home: Path, root: Path = REPO) -> dict[str, str]:
    """The environment of a run of ``root``'s code on ``home`` (its own warehouse, ``root`` first on the path)."""
    env = {**os.environ, "KABAR_HOME": str(home), "PYTHONPATH": str(root)}
    env.pop("KABAR_WAREHOUSE", None)
    return env


@dataclass
class Measured:
    """One `kabar` command: wall seconds, peak RSS of its largest process (MiB), CPU seconds of all its
    processes (user + system, worker processes included), exit code, output, and the 1-minute load
    average of the machine when it started (other work competing for the cores)."""

    seconds: float
    peak_mib: float
    cpu_seconds: float
    returncode: int
    summary: str
    errors: str
    load_before: float
    run_id: str | None = None
    home: Path | None = None
    steps: list[tuple[str, float, float]] = field(default_factory=list)   # (step key, start, end) from run start
    run_seconds: float | None = None   # the Dagster run, first event to last

    @property
    def articles(self) -> str:
        found = re.search(r"articles\s+(\d+)", self.summary)
        return found.group(1) if found else "?"

    def docs_per_second(self, documents: int) -> float:
        return documents / self.seconds


def run_kabar(home: Path, *paths: Path, root: Path = REPO, workers: int | None = None,
              command: str = "run", steps: bool = True, settings: dict[str, str] | None = None) -> Measured:
    """``kabar <command> PATH… [--workers N]`` of the checkout at ``root`` on ``home``, measured
    (``settings``: environment variables on top, e.g. a deployment's).

    The bench process becomes a child subreaper while the command runs, so the processes the run
    leaves to exit after it (the forkserver of the multiprocess executor, which reaps the step
    processes) are reaped here and their memory and CPU time counted."""
    arguments = [*kabar_command(), command, *(str(Path(p).absolute()) for p in paths),
                 *(["--workers", str(workers)] if workers is not None else [])]
    load = os.getloadavg()[0]
    subreaper = _set_subreaper(True)
    try:
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            start = time.perf_counter()
            process = subprocess.Popen(arguments, cwd=root, env={**kabar_env(home, root), **(settings or {})}, stdout=out, stderr=err, text=True)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
            for orphan in _reap_orphans() if subreaper else []:
                peak, cpu = max(peak, orphan.ru_maxrss), cpu + orphan.ru_utime + orphan.ru_stime
            out.seek(0)
            err.seek(0)
            summary, errors = out.read(), err.read()
    finally:
        if subreaper:
            _set_subreaper(False)
    measured = Measured(elapsed, peak / 1024, cpu, process.returncode, summary, errors, load, home=home)
    found = re.search(r"^Kabar run (\S+)", summary, re.M)
    if found is None:   # exit 1 with a summary is fine (e.g. all of an empty input rejected)
        raise RuntimeError(f"kabar {command} failed ({process.returncode}): {errors[-2000:]}")
    measured.run_id = found.group(1)
    if steps:
        _read_steps(measured)
    return measured


def _set_subreaper(on: bool) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_orphans() -> list:
    """The resource usage of every descendant left to this process, waiting up to ``_REAP_SECONDS`` for
    them to end (a run's forkserver exits once the run's process has gone)."""
    usages, deadline = [], time.monotonic() + _REAP_SECONDS
    while time.monotonic() < deadline:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:   # none left
            break
        if pid:
            usages.append(usage)
        else:
            time.sleep(0.05)
    return usages


def _read_steps(measured: Measured) -> None:
    """Step start and end times (seconds from the run's start) from the Dagster event log of the run."""
    import dagster as dg

    dagster_home = measured.home / "dagster"
    try:
        with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
            stats = instance.get_run_stats(measured.run_id)
            step_stats = instance.get_run_step_stats(measured.run_id)
    except Exception as error:   # noqa: BLE001 - a figure missing, never the bench failing
        print(f"  (no step timings for run {measured.run_id}: {error})")
        return
    if stats.start_time is None or stats.end_time is None:
        return
    measured.run_seconds = stats.end_time - stats.start_time
    measured.steps = [(step.step_key, step.start_time - stats.start_time, step.end_time - stats.start_time)
                      for step in step_stats if step.start_time is not None and step.end_time is not None]


def step_breakdown(measured: Measured) -> str:
    """Where a run's wall time went, on one line: outside the Dagster run (interpreter start, imports,
    the summary; for the multiprocess executor also the forkserver preloading the models), then each
    kind of step in run order: its count, summed step time and, for fanned-out steps, the span from the
    first start to the last end."""
    if measured.run_seconds is None:
        return "no step timings"
    groups: dict[str, list[tuple[float, float]]] = {}
    for key, start, end in sorted(measured.steps, key=lambda step: step[1]):
        groups.setdefault(key.split("[")[0].split(".")[-1], []).append((start, end))
    first = min((start for times in groups.values() for start, _ in times), default=0.0)
    parts = [f"outside the run {measured.seconds - measured.run_seconds:.1f} s",
             f"run start to first step {first:.1f} s"]
    for name, times in groups.items():
        total = sum(end - start for start, end in times)
        if len(times) == 1:
            parts.append(f"{name} {total:.1f} s")
        else:
            span = max(end for _, end in times) - min(start for start, _ in times)
            parts.append(f"{name} {len(times)}x sum {total:.1f} s (mean {total / len(times):.1f}, "
                         f"longest {max(end - start for start, end in times):.1f}) over {span:.1f} s")
    return "; ".join(parts)

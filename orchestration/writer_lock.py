"""One writer per ``KABAR_HOME``: runs that load the warehouse take turns.

Two runs on one home would both find the same documents "not yet loaded" and race to load them,
and DuckDB refuses a second process on the file. So every run that writes (``kabar run``,
``kabar crawl``, ``kabar backfill``, and the same jobs launched by the UI, a sensor or a schedule)
holds ``$KABAR_HOME/writer.lock`` from start to end. A second run waits for it, up to a bound
(``KABAR_BUSY_TIMEOUT``), saying whom it waits for, or refuses in one line before it starts.

The lock is ``flock`` on the file: the kernel releases it when its holder dies, so a killed run
never blocks the next one. The file names the holder (PID, command, since when) for the message.
Re-entrant within a run: the CLI takes it before Dagster starts the run, and the load step (which
also guards runs Dagster launches in processes of its own) finds it held, in the CLI's process or in
a step process the run started (marked with the run's PID, ``orphans.marked_run``).
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, UTC
from pathlib import Path

from orchestration.orphans import RUN_PID, kill_orphans, marked_run
from warehouse.busy import retry_while_busy

LOCK_FILE = "writer.lock"
_held: dict[str, int] = {}   # lock paths this process holds -> nesting depth


def lock_path(home: Path) -> Path:
    return Path(home) / LOCK_FILE


@contextmanager
def writer_lock(home: Path, *, wait_seconds: float, on_wait: Callable[[str], None] | None = None,
                run_owner: str | None = None) -> Iterator[None]:
    """Hold the writer lock of ``home``; wait up to ``wait_seconds`` for another holder (calling
    ``on_wait`` once with whom we wait for), then raise ``Busy`` naming it. Held already when its
    holder is ``run_owner`` (the PID of the process that started this step's run)."""
    path = lock_path(home)
    key = str(path.resolve())
    if key in _held or _held_by_our_run(path, run_owner):
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(descriptor, path, wait_seconds, on_wait)
        _write_holder(descriptor)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)   # closing releases the flock


@contextmanager
def exclusive_run(home: Path, *, wait_seconds: float, on_wait: Callable[[str], None] | None = None,
                  run_owner: str | None = None) -> Iterator[None]:
    """A writing run's start: the home's writer lock, this process marked as the run's main process,
    and the processes of killed runs stopped (``orphans``)."""
    with writer_lock(home, wait_seconds=wait_seconds, on_wait=on_wait, run_owner=run_owner), marked_run(home):
        kill_orphans(home)
        yield


def _held_by_our_run(path: Path, run_owner: str | None) -> bool:
    """Whether the main process of the run this process belongs to holds the lock (a step process of
    ``kabar run`` on the multiprocess executor, or on a Celery worker of the same host)."""
    run_pid = run_owner or os.environ.get(RUN_PID)
    if not run_pid or run_pid == str(os.getpid()):
        return False
    try:
        return str(json.loads(path.read_text() or "{}").get("pid")) == run_pid
    except (OSError, ValueError):
        return False


def _acquire(descriptor: int, path: Path, wait_seconds: float, on_wait: Callable[[str], None] | None) -> None:
    def attempt() -> tuple[bool | None, str | None]:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True, None
        except BlockingIOError:
            return None, describe_holder(path)

    retry_while_busy(attempt, wait_seconds=wait_seconds, what=f"KABAR_HOME {path.parent}", on_wait=on_wait)


def _write_holder(descriptor: int) -> None:
    holder = {"pid": os.getpid(), "command": " ".join(" ".join(sys.argv).split())[:200],   # one line
              "since": datetime.now(UTC).isoformat(timespec="seconds")}
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, json.dumps(holder).encode(), 0)


def describe_holder(path: Path) -> str:
    """"PID 4242, kabar run inbox/, since 2026-12-06T10:00:00+00:00" — or what is known of it."""
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return "a run that is starting"
    return f"PID {holder.get('pid')}, {holder.get('command') or 'unknown command'}, since {holder.get('since')}"

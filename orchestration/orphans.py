"""No orphans: the processes a run starts do not outlive it.

A run killed with SIGKILL cannot stop the processes it started: Dagster's step processes finish their
step (a chunk can take minutes) and multiprocessing's forkserver and resource tracker wait for them.
So every process a run starts inherits ``KABAR_RUN_PID`` (``marked_run``), and the next run on the
same ``KABAR_HOME`` finds any that are still there and kills those whose run is gone (``kill_orphans``).
"""
from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

RUN_PID = "KABAR_RUN_PID"
RUN_HOST_TAG, RUN_PID_TAG = "kabar/host", "kabar/pid"   # the run tags naming the `kabar` process that started it
_PROC = Path("/proc")


@contextmanager
def marked_run(home: Path) -> Iterator[None]:
    """Mark this process as the main process of a run on ``home`` while it runs: processes it starts
    carry its PID and the home (the environment is restored after)."""
    marks = {RUN_PID: str(os.getpid()), "KABAR_HOME": str(Path(home).absolute())}
    before = {name: os.environ.get(name) for name in marks}
    os.environ.update(marks)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_owner(tags: Mapping[str, str]) -> str | None:
    """The PID of the `kabar` process that started the run with ``tags``, when it runs on this host
    (a step on a Celery worker beside it), else None."""
    return tags.get(RUN_PID_TAG) if tags.get(RUN_HOST_TAG) == socket.gethostname() else None


def kill_orphans(home: Path) -> list[int]:
    """SIGKILL the processes started by runs on ``home`` whose main process has ended; their PIDs."""
    home = str(Path(home).absolute())
    killed = []
    for entry in _PROC.glob("[0-9]*") if _PROC.is_dir() else ():
        pid = int(entry.name)
        environment = _environment(entry)
        owner = environment.get(RUN_PID)
        if pid == os.getpid() or not owner or not owner.isdigit() or environment.get("KABAR_HOME") != home:
            continue
        if int(owner) != pid and not process_alive(int(owner)):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except (ProcessLookupError, PermissionError):
                continue
    return killed


def _environment(entry: Path) -> dict[str, str]:
    try:
        raw = (entry / "environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {key.decode(errors="replace"): value.decode(errors="replace") for key, value in pairs}


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one we may not signal counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""One writer per home, waits that say whom they wait for, and no orphaned processes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.orphans import RUN_PID, kill_orphans
from orchestration.writer_lock import lock_path, writer_lock
from tests.holders import hold_warehouse, hold_writer_lock
from warehouse.busy import Busy
from warehouse.io import connect

def test_a_second_writer_waits_for_the_first_and_is_told_whom_it_waits_for(tmp_path):
    holder = hold_writer_lock(tmp_path, 1.5)
    told = []
    with writer_lock(tmp_path, wait_seconds=30, on_wait=told.append):
        assert (tmp_path / "releasing").exists()   # we got the lock only once the first writer let go
    assert len(told) == 1 and f"PID {holder.pid}" in told[0] and "waiting up to 30 s" in told[0]


def test_a_writer_past_the_wait_refuses_in_one_line_naming_the_holder(tmp_path):
    holder = hold_writer_lock(tmp_path, 30)
    try:
        with pytest.raises(Busy) as refused, writer_lock(tmp_path, wait_seconds=0.2):
            pass
        message = str(refused.value)
        assert "\n" not in message and f"is busy: held by PID {holder.pid}" in message and "KABAR_BUSY_TIMEOUT" in message
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_writer_never_blocks_the_next(tmp_path):
    holder = hold_writer_lock(tmp_path, 30)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with writer_lock(tmp_path, wait_seconds=0):   # the kernel released the flock with the process
        assert lock_path(tmp_path).exists()


def test_the_lock_is_reentrant_within_a_process(tmp_path):
    with writer_lock(tmp_path, wait_seconds=0), writer_lock(tmp_path, wait_seconds=0):
        pass
    with writer_lock(tmp_path, wait_seconds=0):   # and released once the outer one ends
        pass


def test_opening_a_held_warehouse_waits_then_names_the_holder(tmp_path):
    path = tmp_path / "w.duckdb"
    duckdb.connect(str(path)).close()
    holder = hold_warehouse(path, 1.5)
    told = []
    con = connect(path, read_only=True, wait_seconds=30, on_wait=told.append)
    con.close()
    assert len(told) == 1 and f"PID {holder.pid}" in told[0]
    holder = hold_warehouse(path, 30)
    try:
        with pytest.raises(Busy, match=f"busy: held by PID {holder.pid}"):
            connect(path, wait_seconds=0.3)
    finally:
        holder.kill()
        holder.wait()


def test_orphans_of_a_dead_run_are_killed_and_live_runs_left_alone(tmp_path):
    home = tmp_path / "home"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()   # a run's main process that is gone
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    base = {**os.environ, "KABAR_HOME": str(home)}
    orphan = subprocess.Popen(sleeper, env={**base, RUN_PID: str(dead.pid)})
    living = subprocess.Popen(sleeper, env={**base, RUN_PID: str(os.getpid())})
    elsewhere = subprocess.Popen(sleeper, env={**base, "KABAR_HOME": str(tmp_path / "other"), RUN_PID: str(dead.pid)})
    try:
        for process in (orphan, living, elsewhere):   # until each has exec'd: /proc holds its own environment
            deadline = time.monotonic() + 30
            while RUN_PID.encode() not in Path(f"/proc/{process.pid}/environ").read_bytes() and time.monotonic() < deadline:
                time.sleep(0.01)
        assert kill_orphans(home) == [orphan.pid]
        assert orphan.wait(timeout=10) == -signal.SIGKILL
        assert living.poll() is None and elsewhere.poll() is None
    finally:
        for process in (orphan, living, elsewhere):
            process.kill()
            process.wait()


def test_the_interrupt_watcher_ends_with_its_block_not_after_its_next_wait():
    """Leaving ``repeated_interrupts`` wakes its watcher: with an hour between repeats, the block still
    ends (it used to wait out the watcher's select, half a second on average after every run)."""
    code = ("from orchestration import interrupts\n"
            "interrupts._REPEAT_SECONDS = 3600\n"
            "with interrupts.repeated_interrupts() as received:\n"
            "    pass\n"
            "assert not received.is_set()\n")
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=True, timeout=120)

"""Ctrl-C reaches a run however busy it is.

During a step Dagster turns SIGINT into an exception raised in whatever Python code runs at that
moment; when that is a garbage-collector callback, Python prints "Exception ignored" and the run goes
on to the end. So the CLI watches for SIGINT itself (``signal.set_wakeup_fd`` sees every signal,
whoever handles it) and repeats it every second until the run has stopped.
"""
from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_REPEAT_SECONDS = 1.0


@contextmanager
def repeated_interrupts() -> Iterator[threading.Event]:
    """While the block runs, a Ctrl-C is raised again every second until the block ends; the event
    yielded tells whether one came."""
    received = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    previous = signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            ready, _, _ = select.select([read], [], [], _REPEAT_SECONDS)
            if ready and signal.SIGINT in os.read(read, 512):
                received.set()
            if received.is_set() and not done.is_set():
                os.kill(os.getpid(), signal.SIGINT)
                done.wait(_REPEAT_SECONDS)

    watcher = threading.Thread(target=watch, name="repeat-interrupts", daemon=True)
    watcher.start()
    try:
        yield received
    finally:
        done.set()
        signal.set_wakeup_fd(previous)
        _wake(write)   # else the watcher sits out its select: 0.5 s on average after every run
        watcher.join()
        os.close(read)
        os.close(write)


def _wake(write: int) -> None:
    """End the watcher's wait now: a byte that is no signal number of interest (0)."""
    try:
        os.write(write, b"\0")
    except BlockingIOError:   # the pipe is full: the watcher's select is already ready
        pass

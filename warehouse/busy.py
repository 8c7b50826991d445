"""Waiting for what another process holds (the warehouse file, a home's writer lock): retry until a
deadline, say once whom we wait for, then give up naming the holder."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_POLL_SECONDS = 0.25


class Busy(RuntimeError):
    """Another process kept what we waited for past the wait; the message names it."""


def retry_while_busy(attempt: Callable[[], tuple[T | None, str | None]], *, wait_seconds: float, what: str,
                     on_wait: Callable[[str], None] | None = None) -> T:
    """``attempt()`` gives ``(value, None)`` once it has it, ``(None, holder)`` while ``holder`` (a
    description) keeps it. Retries for up to ``wait_seconds``, calling ``on_wait`` once ("waiting up to
    300 s for the warehouse …"); raises ``Busy`` ("… is busy: held by …") when the time is up."""
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        value, holder = attempt()
        if holder is None:
            return value
        if time.monotonic() >= deadline:
            raise Busy(f"{what} is busy: held by {holder}; waited {wait_seconds:g} s (KABAR_BUSY_TIMEOUT)")
        if on_wait is not None and not told:
            on_wait(f"waiting up to {wait_seconds:g} s for {what}, held by {holder}")
            told = True
        time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))

"""Progress on the console (standard error, so standard output stays the summary): a bar redrawn in
place on a terminal, plain periodic lines otherwise (a log, a CI job), nothing with ``--quiet``."""
from __future__ import annotations

import logging
import os
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from transforms.progress import LOGGER_NAME, Tick

_BAR_WIDTH = 20
_REDRAW_SECONDS = 0.1   # a terminal's bar: at most ~10 redraws a second
_LINE_SECONDS = 5.0     # not a terminal: a line every 5 s, or every tenth of the way
_LINE_STEPS = 10
_RATE_AFTER_SECONDS = 1.0   # ticks arrive in bursts (the run's log is read a few times a second): no rate before


@dataclass
class Stage:
    """One stage's sum over its sources; when it was first seen, at which count, and when it last
    moved (for the rate)."""

    name: str
    unit: str
    started: float
    first_done: int
    moved: float = 0.0
    done: int = 0
    total: int | None = None

    def rate(self) -> float | None:
        elapsed, done = self.moved - self.started, self.done - self.first_done
        return done / elapsed if elapsed >= _RATE_AFTER_SECONDS and done > 0 else None

    def finished(self) -> bool:
        return self.total is not None and self.done >= self.total


class Progress(ABC):
    """Sums the ticks of each stage over its sources and shows the current stage; subclasses draw."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        self._stream = stream
        self._clock = clock
        self._ticks: dict[tuple[str, str], Tick] = {}
        self._stage: Stage | None = None

    def tick(self, tick: Tick) -> None:
        now = self._clock()
        if self._stage is None or self._stage.name != tick.stage:
            if self._stage is not None:
                self._leave(self._stage)
            self._stage = Stage(tick.stage, tick.unit, now, tick.done)
        self._ticks[tick.stage, tick.source] = tick
        ticks = [t for (stage, _), t in self._ticks.items() if stage == tick.stage]
        totals = [t.total for t in ticks if t.total is not None]
        self._stage.done = sum(t.done for t in ticks)
        self._stage.total = sum(totals) if totals else None
        self._stage.moved = now
        self._show(self._stage)

    def close(self) -> None:
        """The last stage's final state; called once the work ended (or failed)."""
        if self._stage is not None:
            self._leave(self._stage)
            self._stage = None

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

    @abstractmethod
    def _show(self, stage: Stage) -> None:
        """The stage moved."""

    @abstractmethod
    def _leave(self, stage: Stage) -> None:
        """The stage ended (the next began, or the work did)."""


class Bar(Progress):
    """``extracting  ████░░░░  64/126 documents  3.1/s  ETA 20s``, redrawn in place."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        super().__init__(stream, clock)
        self._drawn: tuple[float, str] | None = None   # when, and which stage

    def _show(self, stage: Stage) -> None:
        if self._drawn and self._drawn[1] == stage.name and stage.moved - self._drawn[0] < _REDRAW_SECONDS \
                and not stage.finished():
            return
        self._drawn = (stage.moved, stage.name)
        self._write("\r" + bar_line(stage) + "\x1b[K")

    def _leave(self, stage: Stage) -> None:
        self._write("\r" + bar_line(stage) + "\x1b[K\n")
        self._drawn = None


class Lines(Progress):
    """``progress: extracting 64/126 documents (3.1/s)``: at a stage's start and end, and in between
    every ``_LINE_SECONDS`` or tenth of the way."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        super().__init__(stream, clock)
        self._said: tuple[float, int, int] | None = None   # when, at which tenth, and which count

    def _show(self, stage: Stage) -> None:
        if self._said is None or stage.moved - self._said[0] >= _LINE_SECONDS or _step(stage) > self._said[1]:
            self._say(stage)

    def _leave(self, stage: Stage) -> None:
        if self._said is None or self._said[2] != stage.done:
            self._say(stage)
        self._said = None

    def _say(self, stage: Stage) -> None:
        self._said = (stage.moved, _step(stage), stage.done)
        rate = stage.rate()
        self._write(f"progress: {stage.name} {_count(stage)}" + (f" ({rate:.1f}/s)" if rate else "") + "\n")


def bar_line(stage: Stage) -> str:
    rate = stage.rate()
    parts = [f"{stage.name:<11}"]
    if stage.total is not None:
        filled = _BAR_WIDTH * min(stage.done, stage.total) // stage.total if stage.total else _BAR_WIDTH
        parts.append("█" * filled + "░" * (_BAR_WIDTH - filled))
    parts.append(_count(stage))
    if rate:
        parts.append(f"{rate:.1f}/s")
        if stage.total is not None and not stage.finished():
            parts.append(f"ETA {_duration((stage.total - stage.done) / rate)}")
    return "  ".join(parts)


def _count(stage: Stage) -> str:
    return f"{stage.done}/{stage.total} {stage.unit}" if stage.total is not None else f"{stage.done} {stage.unit}"


def _step(stage: Stage) -> int:
    """Which tenth of the way the stage is at (0 when its total is unknown)."""
    if not stage.total:
        return 0
    return _LINE_STEPS * min(stage.done, stage.total) // stage.total


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


@contextmanager
def console_progress(quiet: bool) -> Iterator[Progress | None]:
    """The console's progress for one command: a bar on a terminal, lines otherwise, none when
    ``quiet``. It writes to its own copy of standard error, which a run's redirection of descriptor 2
    to the steps' log leaves on the console."""
    if quiet:
        yield None
        return
    stream = _own_stderr()
    progress = (Bar if stream.isatty() else Lines)(stream)
    try:
        yield progress
    finally:
        progress.close()
        if stream is not sys.stderr:
            stream.close()


@contextmanager
def logged_here(progress: Progress | None) -> Iterator[None]:
    """Show the ticks this process logs (work the CLI does itself, not a run's steps) on ``progress``."""
    if progress is None:
        yield
        return
    handler = _TickHandler(progress.tick)
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


class _TickHandler(logging.Handler):
    def __init__(self, on_tick: Callable[[Tick], None]):
        super().__init__()
        self._on_tick = on_tick

    def emit(self, record: logging.LogRecord) -> None:
        tick = Tick.parse(record.getMessage())
        if tick is not None:
            self._on_tick(tick)


def _own_stderr() -> TextIO:
    try:
        descriptor = sys.stderr.fileno()
    except (AttributeError, ValueError, OSError):   # not a real file (a test's stand-in): write to it as it is
        return sys.stderr
    return os.fdopen(os.dup(descriptor), "w", buffering=1, encoding=sys.stderr.encoding or "utf-8",
                     errors="replace", closefd=True)

"""Progress of long work, told through the ``kabar.progress`` logger so it reaches the CLI wherever the
work runs: a Dagster step (the instance captures this logger into the run's event log, which the CLI
follows) or the CLI's own process (crawl, export: a handler on the logger)."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace

LOGGER_NAME = "kabar.progress"
_PREFIX = "progress "
_EVERY_SECONDS = 0.5   # a step tells the log at most this often (each tick is a row in the run's event log)

_log = logging.getLogger(LOGGER_NAME)
_log.setLevel(logging.INFO)
_log.propagate = False   # for whoever displays progress, not for the application's other logs


@dataclass(frozen=True)
class Tick:
    """How far one ``source`` (a chunk, an archive, an outlet) is in ``stage``; ``total`` when known."""

    stage: str
    source: str
    done: int
    total: int | None
    unit: str

    def message(self) -> str:
        return _PREFIX + json.dumps(asdict(self))

    @classmethod
    def parse(cls, message: str) -> Tick | None:
        """The tick a log message carries, or None for any other message."""
        if not message.startswith(_PREFIX):
            return None
        try:
            return cls(**json.loads(message[len(_PREFIX):]))
        except (ValueError, TypeError):
            return None


class Counter:
    """Counts what one source did in a stage, telling the log when it starts, at most every
    ``_EVERY_SECONDS`` after, and when it ends."""

    def __init__(self, stage: str, source: str, *, total: int | None = None, unit: str = "documents",
                 clock: Callable[[], float] = time.monotonic):
        self._tick = Tick(stage, source, 0, total, unit)
        self._clock = clock
        self._told = clock()
        _tell(self._tick)

    def advance(self, count: int = 1) -> None:
        if not count:
            return
        self._tick = replace(self._tick, done=self._tick.done + count)
        if self._clock() - self._told >= _EVERY_SECONDS:
            self._told = self._clock()
            _tell(self._tick)

    def finish(self, done: int | None = None) -> None:
        """The source is done: ``done`` items (default: its total, else what it counted)."""
        if done is None:
            done = self._tick.done if self._tick.total is None else self._tick.total
        self._tick = replace(self._tick, done=done)
        _tell(self._tick)


def counted(items: Iterable, counter: Counter) -> Iterator:
    """``items``, each counted once whoever asked for it is done with it (asks for the next); the
    counter finished when they run out."""
    for item in items:
        yield item
        counter.advance()
    counter.finish()


def plan(stage: str, total: int, unit: str = "documents") -> None:
    """How many items ``stage`` will see in all, before its sources (chunks) start."""
    _tell(Tick(stage, "plan", 0, total, unit))


def _tell(tick: Tick) -> None:
    _log.info(tick.message())


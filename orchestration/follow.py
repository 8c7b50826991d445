"""Follow a run's progress from the process that started it: the steps' ticks (``transforms.progress``)
are rows in the run's event log, wherever the steps run; a thread reads the new rows while the run
executes and hands the ticks to the console. It only reads, for display: the run's work is Dagster's."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, UTC

import dagster as dg

from transforms.progress import Tick

_POLL_SECONDS = 0.25


@contextmanager
def following(instance: dg.DagsterInstance, tags: dict[str, str], on_tick: Callable[[Tick], None] | None
              ) -> Iterator[None]:
    """While the body starts and executes a run tagged ``tags`` (this process's), hand its ticks to
    ``on_tick``; the rest of them once the body is done."""
    if on_tick is None:
        yield
        return
    reader = _Reader(instance, tags, datetime.now(UTC), on_tick)
    stop = threading.Event()
    thread = threading.Thread(target=reader.follow, args=(stop,), name="kabar-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class _Reader:
    """Reads a run's ticks from where it left off."""

    def __init__(self, instance: dg.DagsterInstance, tags: dict[str, str], since: datetime,
                 on_tick: Callable[[Tick], None]):
        self._instance, self._tags, self._since, self._on_tick = instance, tags, since, on_tick
        self._run_id: str | None = None
        self._cursor: str | None = None

    def follow(self, stop: threading.Event) -> None:
        while not stop.wait(_POLL_SECONDS):
            self._read()
        self._read()

    def _read(self) -> None:
        try:
            self._run_id = self._run_id or self._started_run()
            while self._run_id:
                page = self._instance.get_records_for_run(self._run_id, cursor=self._cursor, limit=500)
                self._cursor = page.cursor
                for record in page.records:
                    tick = Tick.parse(record.event_log_entry.user_message or "")
                    if tick is not None:
                        self._on_tick(tick)
                if not page.has_more:
                    return
        except Exception:   # noqa: BLE001 - display only: an event log busy with the run's writes is read next time
            return

    def _started_run(self) -> str | None:
        runs = self._instance.get_run_ids(dg.RunsFilter(tags=self._tags, created_after=self._since), limit=1)
        return runs[0] if runs else None

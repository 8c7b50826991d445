"""Which document killed a chunk's process, so its retry can go on without it.

A crash inside a C parser or the NER model (a segfault, the kernel out of memory) kills the process
running the chunk; nothing in that process can catch it. Dagster retries the step
(``orchestration.defs.chunks``: a retry policy), and the retry reads this journal: each item (one
document to extract, one batch of articles to enrich) is written down with the step's attempt
before it starts and marked done after, so the item an earlier attempt started but never finished is
the one that killed its process. The retry rejects that document (or splits that batch into single
articles) instead of crashing again.

A step can also lose its process to something else, without Dagster seeing it fail: a Celery
worker killed or its host gone, and the broker delivers the same attempt again. An item left
unfinished once in the current attempt is therefore tried again, and blamed only if it is left
unfinished twice. The journal is removed once the chunk is staged.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_START, _DONE = "start", "done"


class Journal:
    """The append-only record of one unit's items across the attempts of its step."""

    def __init__(self, path: Path, attempt: int = 0):
        self.path, self.attempt = Path(path), attempt
        self.killers = self._killers()   # items whose process died on them (see the module's docstring)
        self._out = None   # opened on the first item, kept open: two writes an item (0.6 s per 1,000 documents reopening it)

    def _killers(self) -> set[str]:
        if not self.path.exists():
            return set()
        open_items: Counter[tuple[int, str]] = Counter()
        for line in self.path.read_text(encoding="utf-8").splitlines():
            mark, attempt, item = line.split("\t", 2)
            open_items[int(attempt), item] += 1 if mark == _START else -1
        return {item for (attempt, item), count in open_items.items()
                if count > 0 and (attempt < self.attempt or count > 1)}

    @contextmanager
    def item(self, name: str) -> Iterator[None]:
        self._write(_START, name)
        yield
        self._write(_DONE, name)

    def _write(self, mark: str, name: str) -> None:
        if self._out is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = self.path.open("a", encoding="utf-8")
        self._out.write(f"{mark}\t{self.attempt}\t{name}\n")
        self._out.flush()   # in the page cache before the item starts: a crashed process does not lose it

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
        self.path.unlink(missing_ok=True)


class ProcessDied(RuntimeError):
    """The item a previous attempt's process died on (the reason on its reject or failure row)."""

    def __init__(self, work: str):
        super().__init__(f"its process died {work} it (a crash in a parser or the model, or out of memory); "
                         "the retry went on without it")

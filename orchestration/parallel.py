"""Spread per-document work over worker processes when a batch is big enough to pay for them.

A worker can die on one item (a crash inside a C parser, the kernel out of memory); the pool then
fails every item it held. The items are run again one at a time in one worker, so the one that
kills it is named and answered by ``on_crash`` (a reject of that document), a fresh worker takes
the next, and nothing is ever replayed in the run's own process.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from orchestration.orphans import exit_with

_PARALLEL_FROM_DOCUMENTS = 64  # below this many documents, starting workers costs more than it saves
_DOCUMENTS_PER_TASK = 16
OnCrash = Callable[[object, BaseException], object]


def process_map(workers: int, documents_per_item: int = 1, on_crash: OnCrash | None = None) -> Callable:
    """A ``map`` that runs in ``workers`` forkserver processes for large inputs, in-process otherwise.
    ``documents_per_item`` says how many documents one item carries (a chunk of articles);
    ``on_crash(item, error)`` gives the result of an item whose worker died (default: raise)."""

    def mapper(function: Callable, items: Iterable) -> list:
        items = list(items)
        if workers <= 1 or len(items) * documents_per_item < _PARALLEL_FROM_DOCUMENTS:
            return list(map(function, items))
        return pooled_map(function, items, workers, chunksize=max(1, _DOCUMENTS_PER_TASK // documents_per_item),
                          on_crash=on_crash)

    return mapper


def pooled_map(function: Callable, items: list, workers: int, *, chunksize: int = 1, on_crash: OnCrash | None = None,
               start_method: str = "forkserver") -> list:
    """``map`` over ``workers`` processes that exit with this one; a dead worker's items are redone one
    by one (``one_by_one``)."""
    try:
        with _pool(workers, start_method) as pool:
            return list(pool.map(function, items, chunksize=chunksize))
    except BrokenProcessPool:
        return one_by_one(function, items, on_crash, start_method)


def one_by_one(function: Callable, items: list, on_crash: OnCrash | None, start_method: str = "forkserver") -> list:
    """Each item in turn in one worker process: the item that kills it gets ``on_crash(item, error)``
    (or its error is raised) and a fresh worker takes the next."""
    results, pool = [], None
    try:
        for item in items:
            pool = pool or _pool(1, start_method)
            try:
                results.append(pool.submit(function, item).result())
            except BrokenProcessPool as error:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                if on_crash is None:
                    raise
                results.append(on_crash(item, error))
    finally:
        if pool is not None:
            pool.shutdown()
    return results


def _pool(workers: int, start_method: str) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context(start_method),
                               initializer=exit_with, initargs=(os.getpid(),))

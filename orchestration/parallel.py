"""Spread per-document work over worker processes when a batch is big enough to pay for them."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from orchestration.orphans import exit_with

_PARALLEL_FROM_DOCUMENTS = 64  # below this many documents, starting workers costs more than it saves
_DOCUMENTS_PER_TASK = 16


def process_map(workers: int, documents_per_item: int = 1) -> Callable:
    """A ``map`` that runs in ``workers`` forkserver processes for large inputs, in-process otherwise.
    ``documents_per_item`` says how many documents one item carries (a chunk of articles)."""

    def mapper(function: Callable, items: Iterable) -> list:
        items = list(items)
        if workers <= 1 or len(items) * documents_per_item < _PARALLEL_FROM_DOCUMENTS:
            return list(map(function, items))
        chunksize = max(1, _DOCUMENTS_PER_TASK // documents_per_item)
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"),
                                     initializer=exit_with, initargs=(os.getpid(),)) as pool:
                return list(pool.map(function, items, chunksize=chunksize))
        except BrokenProcessPool:   # a worker died (a crash inside a C parser): redo the batch here
            return list(map(function, items))

    return mapper

"""Spread per-document work over worker processes when a batch is big enough to pay for them."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

_PARALLEL_FROM = 64  # below this many items, starting workers costs more than it saves
_CHUNK = 16


def process_map(workers: int) -> Callable:
    """A ``map`` that runs in ``workers`` forkserver processes for large inputs, in-process otherwise."""

    def mapper(function: Callable, items: Iterable) -> list:
        items = list(items)
        if workers <= 1 or len(items) < _PARALLEL_FROM:
            return list(map(function, items))
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver")) as pool:
            return list(pool.map(function, items, chunksize=_CHUNK))

    return mapper

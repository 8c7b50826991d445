"""Worker processes: one that dies on an item fails that item alone, never the batch or the run's process."""
from __future__ import annotations

import os
import signal

import pytest
from concurrent.futures.process import BrokenProcessPool

from orchestration.parallel import process_map

CULPRIT = 37


def double_or_crash(item: int) -> int:
    """A worker's task; item ``CULPRIT`` kills its process as a segfault in a C parser would."""
    if item == CULPRIT:
        os.kill(os.getpid(), signal.SIGSEGV)
    return item * 2


def test_the_item_that_kills_its_worker_is_named_and_the_rest_complete():
    results = process_map(2, on_crash=lambda item, error: ("died", item, type(error).__name__))(
        double_or_crash, list(range(80)))
    assert results == [("died", item, "BrokenProcessPool") if item == CULPRIT else item * 2 for item in range(80)]


def test_without_an_answer_for_a_dead_worker_the_batch_fails():
    with pytest.raises(BrokenProcessPool):
        process_map(2)(double_or_crash, list(range(80)))


def test_small_batches_stay_in_process():
    assert process_map(2)(abs, [-1, -2]) == [1, 2]   # below the size that pays for workers


def test_a_crashed_enrichment_chunk_is_retried_article_by_article(monkeypatch):
    """Only the article that kills a worker on its own becomes an entities_error; its chunk's others load."""
    import orchestration.defs.enrich as enrich

    def fake_one_by_one(function, items, on_crash):
        return [on_crash(item, BrokenProcessPool("terminated abruptly")) if item[0][0] == "a2"
                else ([{"article_id": item[0][0]}], [], [], []) for item in items]

    monkeypatch.setattr(enrich, "one_by_one", fake_one_by_one)
    entities, mentions, quotes, failures = enrich._chunk_crashed([("a1", "t", "id"), ("a2", "t", "id"), ("a3", "t", "id")],
                                                                 BrokenProcessPool("x"))
    assert entities == [{"article_id": "a1"}, {"article_id": "a3"}] and mentions == quotes == []
    assert failures == [{"article_id": "a2", "reason": "entities_error", "detail": "BrokenProcessPool: terminated abruptly"}]

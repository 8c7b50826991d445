"""Body-text scoring as the scrapinghub article-extraction-benchmark defines it.

Tokens are ``\\w+`` runs; each page is compared as multisets of 4-token shingles. Precision is
averaged over pages with a non-empty prediction (an empty one only lowers recall), recall over
pages with non-empty gold, and F1 is computed from those two macro means.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
_SHINGLE = 4


@dataclass(frozen=True)
class BodyScore:
    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(text: str | None) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < _SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1))


def page_counts(predicted: str | None, gold: str | None) -> tuple[float, float, float]:
    """``(tp, fp, fn)`` of one page, normalised so they sum to 1 (all zero when both are empty)."""
    pred, true = shingles(predicted), shingles(gold)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score_bodies(pairs: list[tuple[str | None, str | None]]) -> BodyScore:
    """Macro precision and recall over ``(predicted, gold)`` pages."""
    precisions, recalls = [], []
    for predicted, gold in pairs:
        tp, fp, fn = page_counts(predicted, gold)
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    mean = lambda values: sum(values) / len(values) if values else 0.0  # noqa: E731
    return BodyScore(mean(precisions), mean(recalls), len(pairs))

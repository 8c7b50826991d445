"""Deliberate faults injected into the pipeline, to prove the quality gates catch them."""
from __future__ import annotations

import pytest


def shift_entity_offsets(monkeypatch: pytest.MonkeyPatch, field: str, only_in: str = "") -> None:
    """Make the entity stage report every mention one character off in ``field``
    (``start_offset`` or ``end_offset``), so stored offsets no longer slice their surface; only in
    texts containing ``only_in`` when given."""
    import transforms.batch

    real = transforms.batch.find_entities_batch

    def shifted(texts, languages):
        return [[m.__class__(**{**m.__dict__, field: getattr(m, field) + 1}) for m in found] if only_in in text
                else found for text, found in zip(texts, real(texts, languages))]

    monkeypatch.setattr(transforms.batch, "find_entities_batch", shifted)

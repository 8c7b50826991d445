"""The NER training script's data handling (no model is trained here: CI loads the committed one)."""
from __future__ import annotations

import spacy

from evaluation.ner import Sentence
from training.train_ner import cv_folds, render_config, SETTINGS, to_examples


def _sentence(index: int) -> Sentence:
    return Sentence((f"kata{index}", "Jakarta"), ("O", "B-LOC"))


def test_cross_validation_holds_every_sentence_out_exactly_once():
    sentences = [_sentence(i) for i in range(23)]
    folds = cv_folds(sentences, k=5)
    held = [s for _, fold_held in folds for s in fold_held]
    assert sorted(held, key=lambda s: s.tokens) == sorted(sentences, key=lambda s: s.tokens)
    for train, fold_held in folds:
        assert not set(train) & set(fold_held) and len(train) + len(fold_held) == 23
    assert {len(fold_held) for _, fold_held in folds} <= {4, 5}


def test_folds_are_fixed_by_the_seed():
    sentences = [_sentence(i) for i in range(40)]
    assert cv_folds(sentences, k=5) == cv_folds(sentences, k=5)
    assert cv_folds(sentences, k=5, seed=1) != cv_folds(sentences, k=5)


def test_examples_use_the_pipelines_tokens_without_edge_brackets():
    """"(KTP)" is one corpus token; the pipeline splits it, and the entity is "KTP" alone."""
    nlp = spacy.blank("id")
    sentence = Sentence(("Warga", "membawa", "(KTP)", "ke", "Jakarta-Bogor", "."),
                        ("O", "O", "B-ORG", "O", "B-LOC", "O"))
    [example] = to_examples(nlp, [sentence])
    assert [(ent.text, ent.label_) for ent in example.reference.ents] == [("KTP", "ORG"), ("Jakarta-Bogor", "LOC")]


def test_config_renders_for_every_setting():
    for name, setting in SETTINGS.items():
        config = render_config(setting, max_epochs=3)
        assert "max_epochs = 3" in config and "[components.ner]" in config, name

"""The NER training script's data handling (no model is trained here: CI loads the committed one)."""
from __future__ import annotations

import spacy

from evaluation.ner import Sentence
from training.train_ner import (FINALISTS, SETTINGS, case_table, cv_folds, map_nerp, read_nerp, recase, render_config,
                                 to_examples, training_side)


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


def test_nerp_tags_map_onto_kabar_types_and_drop_events_and_food(tmp_path):
    """NER-Prosa's PPL/PLC/IND are PER/LOC/ORG; EVT and FNB are no Kabar type and must not train as one."""
    nerp = tmp_path / "nlp" / "nerp"
    nerp.mkdir(parents=True)
    (nerp / "train_preprocess.txt").write_text(
        "presiden\tO\njoko\tB-PPL\nwidodo\tI-PPL\nke\tO\nsurabaya\tB-PLC\n\n"
        "kpk\tB-IND\nhadiri\tO\nasian\tB-EVT\ngames\tI-EVT\nmakan\tO\nrendang\tB-FNB\n\n", encoding="utf-8")
    (nerp / "valid_preprocess.txt").write_text("ahok\tB-PPL\ntiba\tO\n", encoding="utf-8")
    raw = read_nerp(tmp_path)
    assert len(raw) == 3 and raw[1].tags[2:4] == ("B-EVT", "I-EVT")
    mapped = [map_nerp(s) for s in raw]
    assert mapped[0].spans == [(1, 3, "PER"), (4, 5, "LOC")]
    assert mapped[1].spans == [(0, 1, "ORG")]
    assert mapped[1].tags == ("B-ORG", "O", "O", "O", "O", "O")
    assert mapped[2].spans == [(0, 1, "PER")]


def test_recase_spells_nerp_as_cased_news_from_the_fitting_data_only():
    idner = [Sentence(("Kata", "Presiden", "Joko", "di", "KPK", "."), ("O", "O", "B-PER", "O", "B-ORG", "O")),
             Sentence(("Ia", "ke", "presiden", "Presiden", "lagi"), ("O",) * 5)]
    table = case_table(idner)
    assert table["kpk"] == "KPK" and table["presiden"] == "Presiden" and "kata" not in table  # first tokens skipped
    nerp = Sentence(("presiden", "amos", "kenda", "di", "kpk", ".", "ia", "makan", "rendang"),
                    ("O", "B-PPL", "I-PPL", "O", "B-IND", "O", "O", "O", "B-FNB"))
    recased = recase(nerp, table)
    assert recased.tokens == ("Presiden", "Amos", "Kenda", "di", "KPK", ".", "Ia", "makan", "Rendang")
    assert recased.tags == nerp.tags


def test_training_side_adds_nerp_as_the_setting_says():
    idner = [Sentence(("Joko", "tiba"), ("B-PER", "O"))]
    nerp = [Sentence(("asian", "games", "di", "jakarta"), ("B-EVT", "I-EVT", "O", "B-PLC"))]
    base = {"nerp": "none"}
    assert training_side(base, idner, nerp) == idner
    assert training_side({"nerp": "none", "idner_repeat": 3}, idner, nerp) == idner * 3
    lower = training_side({"nerp": "lower"}, idner, nerp)
    assert lower[1] == Sentence(nerp[0].tokens, ("O", "O", "O", "B-LOC"))
    recased = training_side({"nerp": "recased"}, idner, nerp)
    assert recased[1].tokens == ("Asian", "Games", "di", "Jakarta") and recased[1].spans == [(3, 4, "LOC")]
    assert set(FINALISTS) <= set(SETTINGS) and all(SETTINGS[name]["nerp"] != "none" for name in FINALISTS)

"""NER evaluation: CoNLL reading, exact-span scoring with hand-computed scores, and the committed
Indonesian model (loaded, never trained, here)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.ner import (LABEL_MAP, MODELS, Sentence, bio_to_spans, evaluate_model, format_report,
                            load_model, map_label, parse_conll, read_conll, run_eval, score_spans)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ner"
GOLD, PRED, IOB1 = FIXTURES / "gold.conll", FIXTURES / "pred.conll", FIXTURES / "iob1.conll"


# ---------------------------------------------------------------- reader

def test_reads_three_column_file():
    sentences = read_conll(GOLD)
    assert [len(s.tokens) for s in sentences] == [6, 9, 6]
    assert sentences[0].tokens[:2] == ("Joko", "Widodo")
    assert sentences[0].spans == [(0, 2, "PER"), (3, 4, "LOC")]
    assert sentences[1].spans == [(0, 2, "PER"), (4, 5, "ORG"), (6, 8, "LOC")]


def test_two_and_three_columns_give_same_tokens():
    assert [s.tokens for s in read_conll(PRED)] == [s.tokens for s in read_conll(GOLD)]


def test_iob1_docstart_tabs_and_trailing_blank_lines():
    sentences = read_conll(IOB1)
    assert len(sentences) == 2  # -DOCSTART- and repeated / trailing blank lines make no sentences
    assert sentences[0].tokens == ("Warga", "Bandung", "bertemu", "Ani", "Budi", "Citra", ".")
    # I- without B- starts an entity; B- after I-PER starts a new one
    assert sentences[0].spans == [(0, 2, "LOC"), (3, 4, "PER"), (4, 6, "PER")]
    assert sentences[1].spans == [(0, 1, "ORG")]


def test_bio_edge_cases():
    assert bio_to_spans([]) == []
    assert bio_to_spans(["I-PER", "I-ORG", "I-ORG", "O", "I-LOC"]) == [(0, 1, "PER"), (1, 3, "ORG"), (4, 5, "LOC")]
    assert bio_to_spans(["B-PER", "B-PER", "I-PER"]) == [(0, 1, "PER"), (1, 3, "PER")]
    assert parse_conll("\n\nA B-PER\n\n\n") == [Sentence(("A",), ("B-PER",))]


def test_reader_rejects_bad_lines():
    with pytest.raises(ValueError, match="line 1"):
        parse_conll("lonely\n")
    with pytest.raises(ValueError, match="bad tag"):
        parse_conll("Joko NNP PERSON\n")


# ---------------------------------------------------------------- scoring (expected values by hand)
# gold: PER 3, ORG 1, LOC 3.  pred vs gold:
#   s1  Joko Widodo PER ok; Jakarta tagged ORG  -> ORG fp, LOC fn
#   s2  "Retno" alone PER (gold "Retno Marsudi") -> PER fp + fn; PBB ORG ok; New York LOC ok
#   s3  Polisi ORG -> ORG fp; Budi PER ok; Surabaya LOC ok
EXPECTED = {  # type: (tp, fp, fn)
    "PER": (2, 1, 1),
    "ORG": (1, 2, 0),
    "LOC": (2, 0, 1),
    "overall": (5, 3, 2),
}


def _prf(tp, fp, fn):
    p, r = tp / (tp + fp), tp / (tp + fn)
    return p, r, 2 * p * r / (p + r)


def test_exact_span_scores_match_hand_computation():
    gold, pred = read_conll(GOLD), read_conll(PRED)
    counts = score_spans([s.spans for s in gold], [s.spans for s in pred])
    for key, (tp, fp, fn) in EXPECTED.items():
        c = counts[key]
        assert (c.tp, c.fp, c.fn) == (tp, fp, fn), key
        p, r, f = _prf(tp, fp, fn)
        assert c.precision == pytest.approx(p) and c.recall == pytest.approx(r) and c.f1 == pytest.approx(f)
    # by hand: PER P=R=F=2/3; ORG P=1/3 R=1 F=1/2; LOC P=1 R=2/3 F=4/5; micro P=5/8 R=5/7 F=2/3
    assert counts["PER"].f1 == pytest.approx(2 / 3)
    assert counts["ORG"].f1 == pytest.approx(1 / 2)
    assert counts["LOC"].f1 == pytest.approx(4 / 5)
    assert counts["overall"].precision == pytest.approx(5 / 8)
    assert counts["overall"].recall == pytest.approx(5 / 7)
    assert counts["overall"].f1 == pytest.approx(2 / 3)


def test_perfect_and_empty_predictions():
    gold = read_conll(GOLD)
    perfect = score_spans([s.spans for s in gold], [s.spans for s in gold])
    assert perfect["overall"].f1 == 1.0
    empty = score_spans([s.spans for s in gold], [[] for _ in gold])
    assert (empty["overall"].precision, empty["overall"].recall, empty["overall"].f1) == (0.0, 0.0, 0.0)


def test_label_mapping_drops_norp():
    assert map_label("PERSON") == "PER" and map_label("GPE") == "LOC" and map_label("FAC") == "LOC"
    assert map_label("ORG") == "ORG" and map_label("LOC") == "LOC"
    assert map_label("NORP") is None and map_label("DATE") is None
    assert set(LABEL_MAP.values()) == {"PER", "ORG", "LOC"}


def test_evaluate_callable_maps_labels_and_formats():
    gold = read_conll(GOLD)
    english = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG"}
    by_tokens = {s.tokens: s.spans for s in read_conll(PRED)}

    def predict(sentence):  # pred.conll in spaCy English labels, plus a NORP that must be dropped
        return [(a, b, english[k]) for a, b, k in by_tokens[sentence.tokens]] + [(0, 1, "NORP")]

    report = evaluate_model(predict, gold, name="fixture")
    assert report["documents"] == 3 and report["tokens"] == 21
    overall = report["scores"]["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == EXPECTED["overall"]
    assert overall["f1"] == pytest.approx(2 / 3, abs=1e-4)
    table = format_report(report)
    assert "overall" in table and "PER" in table and "docs/s" in table


# ---------------------------------------------------------------- the committed Indonesian model

MODEL = Path(MODELS["id"])


@pytest.fixture(scope="module")
def id_nlp():
    if not (MODEL / "meta.json").is_file():
        pytest.fail(f"{MODEL} missing: it is committed; rebuild with `python -m training.train_ner`", pytrace=False)
    return load_model("id")  # cached: run_eval below reuses it


def test_model_meta_records_provenance(id_nlp):
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] and meta["version"] and meta["lang"] == "id"
    from training.train_ner import SETTING_DEFAULTS, SETTINGS

    kabar = meta["kabar"]
    data = {Path(d["file"]).parts[1]: d for d in kabar["training_data"]}
    assert set(data) == {"idner-news-2k", "nerp"} and len(kabar["training_data"]) == 3  # NERP train + valid
    assert all(len(d["sha256"]) == 64 and d["sentences"] > 0 for d in kabar["training_data"])
    assert "MIT" in meta["license"] and "Apache-2.0" in meta["license"] and "Wilie et al. 2020" in meta["license"]
    assert "EVT and FNB → O" in kabar["label_mapping"]
    selection = kabar["selection"]
    assert "held-out folds of idner-news-2k train.txt" in selection["rule"] and "dev.txt unused" in selection["rule"]
    chosen = selection["settings"][kabar["setting"]]
    assert len(chosen["fold_curves"]) == selection["held_folds"] >= 1 and selection["folds"] >= 2
    assert all(len(run["mean_curve"]) == selection["max_epochs"] for run in selection["settings"].values())
    # the saved model ran the epoch count whose mean held-out F1 was best, and the best setting
    assert chosen["mean_curve"][kabar["epochs"] - 1] == max(chosen["mean_curve"]) == kabar["cv_f1"]
    assert kabar["cv_f1"] == max(run["cv_f1"] for run in selection["settings"].values())
    assert kabar["final_fit"]["epochs"] == kabar["epochs"] == len(kabar["final_fit"]["loss_curve"])
    repeat = {**SETTING_DEFAULTS, **SETTINGS[kabar["setting"]]}["idner_repeat"]  # idner copies per epoch
    nerp = sum(d["sentences"] for d in kabar["training_data"] if "nerp" in d["file"])
    assert kabar["final_fit"]["sentences"] == data["idner-news-2k"]["sentences"] * repeat + nerp
    assert f"max_epochs = {kabar['epochs']}" in kabar["config"]
    assert "[components.tok2vec.model.embed]" in kabar["config"]
    assert kabar["training_wall_seconds"] > 0
    assert kabar["reproduce"].startswith("python -m training.train_ner")
    assert set(kabar["dev_scores"]) == {"PER", "ORG", "LOC", "overall"}
    assert 0 < kabar["dev_scores"]["overall"]["f1"] <= 1
    assert sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file()) <= 15_000_000


def test_model_tags_indonesian_sentence(id_nlp):
    doc = id_nlp("Presiden Joko Widodo meresmikan jalan tol di Surabaya bersama Gubernur Jawa Timur Khofifah .")
    labels = {ent.label_ for ent in doc.ents}
    assert labels & {"PER", "LOC"}, [(e.text, e.label_) for e in doc.ents]


def test_run_eval_on_fixture():
    text = run_eval(GOLD, "id")
    assert "overall" in text and "3 documents" in text
    with pytest.raises(ValueError):
        run_eval(GOLD, "xx")


# ---------------------------------------------------------------- gold-token alignment

def test_character_spans_map_onto_the_gold_tokens_they_touch():
    from evaluation.ner import to_token_span, token_offsets

    sentence = Sentence(("Kartu", "(KTP)", "milik", "Joko", "Widodo"), ("O", "B-ORG", "O", "B-PER", "I-PER"))
    offsets = token_offsets(sentence)
    text = sentence.text
    assert offsets[1] == (6, 11) and text[6:11] == "(KTP)"
    assert to_token_span(offsets, text.index("KTP"), text.index("KTP") + 3, "ORG") == (1, 2, "ORG")
    assert to_token_span(offsets, text.index("Joko"), len(text), "PER") == (3, 5, "PER")
    assert to_token_span(offsets, text.index("Widodo"), len(text), "PER") == (4, 5, "PER")


def test_stored_mentions_are_scored_per_sentence_in_gold_tokens():
    from evaluation.ner_pages import GoldPage, _in_sentence

    first = Sentence(("Joko", "Widodo", "tiba", "."), ("B-PER", "I-PER", "O", "O"))
    second = Sentence(("Di", "(Jakarta)", "."), ("O", "B-LOC", "O"))
    page = GoldPage("p.html", (first, second))
    stored = "Judul\n" + first.text + "\n" + second.text
    placed = [(0, stored.index(first.text)), (1, stored.index(second.text))]
    jakarta = stored.index("Jakarta")
    assert _in_sentence(page, placed, jakarta, jakarta + 7, "LOC") == (1, 1, 2, "LOC")
    assert _in_sentence(page, placed, 6, 17, "PER") == (0, 0, 2, "PER")
    assert _in_sentence(page, placed, 0, 5, "ORG")[0] == -1   # the title belongs to no sentence

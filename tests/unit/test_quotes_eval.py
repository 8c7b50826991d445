"""PolNeAR quote evaluation: brat reading, gold direct quotes with resolved speakers, and scores
worked out by hand on a two-article fixture (tests/fixtures/polnear)."""
from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.quotes import (PredictedQuote, QuoteScores, evaluate, format_report, gold_quotes, is_direct_quote,
                               read_polnear, source_head)
from orchestration.cli import main

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "polnear"


@pytest.fixture(scope="module")
def articles():
    return read_polnear(FIXTURE)


def quote_at(text: str, words: str, speaker: str | None) -> PredictedQuote:
    start = text.index(words)
    return PredictedQuote(start, start + len(words), speaker)


def stub_predictor(text: str) -> list[PredictedQuote]:
    """Hand-made predictions: one wrong speaker (the pronoun quote), a discontinuous gold quote
    predicted in two pieces, one prediction outside every annotation, one gold quote missed."""
    if text.startswith("Bridge"):
        return [quote_at(text, "We will rebuild the bridge this year,", "Ann Lee"),
                quote_at(text, "The money is already in the budget.", "Tom Burke"),
                quote_at(text, "Nobody asked us about it,", "Tom Burke"),
                quote_at(text, "The plan came out of nowhere.", None),
                quote_at(text, "a bold step for the town", None)]
    return [quote_at(text, "Very good,", None)]


def test_one_annotation_file_per_text_the_first_by_name(articles):
    assert [a.name for a in articles] == ["a-bridge", "b-talks"]
    assert len(articles[0].attributions) == 3      # a-bridge_1111.ann, not the one-attribution _2222
    assert articles[0].text.startswith("Bridge Plan Approved\n")


def test_gold_direct_quotes_resolve_pronouns_and_keep_discontinuous_spans(articles):
    bridge, talks = (gold_quotes(a) for a in articles)
    assert [sorted(q.speaker_heads) for q in bridge] == [["lee"], ["lee"], ["burke"]]   # "She" -> Mayor Ann Lee
    assert bridge[2].spans == ((143, 170), (205, 236))
    # "the talks would resume" is no quote, "Very good," too short: only the critics' words count
    assert [(q.spans, sorted(q.speaker_heads)) for q in talks] == [(((110, 144),), ["critics"])]


@pytest.mark.parametrize("content, direct", [
    ('"We will rebuild the bridge this year,"', True), ("“Three words here”", True), ('"Very good,"', False),
    ("the talks would resume", False), ('"Opens but never closes', False), ("", False),
])
def test_direct_quote_needs_marks_at_both_ends_and_three_words(content, direct):
    assert is_direct_quote(content) is direct


@pytest.mark.parametrize("source, head", [
    ("Mayor Ann Lee", "Lee"), ("Tom Burke, who lives nearby", "Burke"), ("Sen. Claire McCaskill (D-Mo.)", "McCaskill"),
    ("a spokesman for the Trump campaign", "spokesman"), ("Secretary of State John F. Kerry", "Kerry"),
    ("Gov. Earl Ray Tomblin of West Virginia", "Tomblin"), ("Hillary Clinton's campaign", "campaign"),
])
def test_source_head_word(source, head):
    assert source_head(source) == head


def test_scores_by_hand(articles):
    """gold 4 (3 + 1), predicted 6; found 3 (the critics' quote is missed); all 3 attributed (the
    split quote by its first piece); speakers 2 of 3 (Tom Burke for "She" = Ann Lee is wrong);
    5 of 6 predictions inside an annotated Content ("a bold step for the town" is not)."""
    scores, _ = evaluate(articles, stub_predictor)
    assert scores == [QuoteScores(1, 3, 5, 3, 3, 3, 2, 4), QuoteScores(1, 1, 1, 0, 0, 0, 0, 1)]
    total = scores[0] + scores[1]
    assert (total.recall, total.attributed_share, total.speaker_accuracy, total.precision) == (0.75, 1.0, 2 / 3, 5 / 6)


def test_report_shows_both_halves_and_dashes_for_nothing_to_count(articles):
    lines = format_report(*evaluate(articles, stub_predictor)).splitlines()
    assert lines[1].split() == ["all", "2", "4", "6", "0.750", "0.833", "1.000", "0.667"]
    assert lines[2].split() == ["even", "half", "1", "3", "5", "1.000", "0.800", "1.000", "0.667"]
    assert lines[3].split() == ["odd", "half", "1", "1", "1", "0.000", "1.000", "-", "-"]
    assert lines[4].startswith("2 articles") and "docs/s" in lines[4]


def test_kabar_eval_quotes_command(capsys):
    """Kabar's own finder on the fixture: every gold quote found; "a bold step for the town" continues
    Tom Burke's speaker but lies outside every annotation; the critics' quote has no speaker."""
    assert main(["eval", "quotes", "--polnear", str(FIXTURE)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split() == ["all", "2", "4", "6", "1.000", "0.833", "0.750", "1.000"]


def test_kabar_eval_quotes_needs_a_polnear_folder(tmp_path, capsys):
    assert main(["eval", "quotes", "--polnear", str(tmp_path)]) == 2
    assert "text/ and attributions/" in capsys.readouterr().err


def test_polnear_dev_meets_recall_and_precision(shared):
    """The shared PolNeAR dev split; the speaker targets are reported by `kabar eval quotes`."""
    scores, _ = evaluate(read_polnear(shared / "nlp" / "polnear" / "dev"))
    total = sum(scores, QuoteScores(0, 0, 0, 0, 0, 0, 0, 0))
    assert total.recall >= 0.95 and total.precision >= 0.90 and total.attributed_share >= 0.80


def test_output_whose_reader_went_away_ends_quietly(monkeypatch, capsys):
    """`kabar eval quotes … | head -1`: the closed pipe is no error to report, and no traceback."""
    class ClosedPipe:
        def write(self, _):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr("sys.stdout", ClosedPipe())
    assert main(["eval", "quotes", "--polnear", str(FIXTURE)]) == 141
    assert capsys.readouterr().err == ""

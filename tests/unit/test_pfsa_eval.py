"""PFSA-ID quote evaluation: reading the gold, names without titles, the scores worked out by hand on
a two-article fixture of our own (tests/fixtures/pfsa), the command, and PolNeAR's set-aside quarter."""
from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.pfsa import PfsaArticle, evaluate_pfsa, format_pfsa_report, name_without_titles, read_pfsa, same_name
from evaluation.quotes import PredictedQuote, set_aside
from orchestration.cli import main

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "pfsa"


def _said(article: PfsaArticle, *speakers: str | None) -> list[PredictedQuote]:
    """The gold quotes predicted exactly, with ``speakers`` in order."""
    return [PredictedQuote(q.start + 1, q.end - 1, speaker) for q, speaker in zip(article.quotes, speakers, strict=True)]


def test_articles_quotes_and_numbers_are_read_from_the_gold_and_the_texts():
    first, second = read_pfsa(FIXTURE)
    assert (first.name, first.number, second.number) == ("dev-0001", 1, 2)
    assert [first.text[q.start:q.end][:6] for q in first.quotes] == ["”Kami ", "”Taman"]
    assert [(q.speaker, q.cue) for q in second.quotes] == [("Presiden Joko Santoso", "kata")]


@pytest.mark.parametrize("name, words", [
    ("Komisaris Besar Tubagus Ade Hidayat", ("tubagus", "ade", "hidayat")),
    ("Panglima TNI Hadi Tjahjanto", ("hadi", "tjahjanto")),
    ("Letjen TNI (Purn) Soemarsono", ("soemarsono",)),
    ("dr Eddy MS", ("eddy", "ms")),
    ("Presiden", ("presiden",)),   # a title alone stays what it is
    ("Siti Rahmawati Lubis", ("siti", "rahmawati", "lubis")),
])
def test_names_are_compared_without_the_titles_and_offices_before_them(name, words):
    assert name_without_titles(name) == words


@pytest.mark.parametrize("predicted, gold, same", [
    ("Siti Rahmawati Lubis", "Kepala Dinas Pertamanan Siti Rahmawati Lubis", True),   # an office before the name
    ("Kombes Tubagus Ade Hidayat", "Komisaris Besar Tubagus Ade Hidayat", True),
    ("Tubagus", "Komisaris Besar Tubagus Ade Hidayat", False),   # the short name at the cue
    ("Ade Hidayat", "Komisaris Besar Tubagus Ade Hidayat", False),
    ("Presiden", "Presiden Joko Santoso", False),
])
def test_a_full_name_is_the_gold_name_titles_and_offices_aside(predicted, gold, same):
    assert same_name(predicted, gold) is same


def test_scores_by_hand():
    """dev-0001: the full name after `kata Siti` (right, exact); the `-nya` quote given to Siti (wrong:
    Bambang Hartono spoke). dev-0002: `kata Presiden` left as the title (wrong by head word and name)."""
    first, second = read_pfsa(FIXTURE)
    predictions = {first.text: _said(first, "Siti Rahmawati Lubis", "Siti"), second.text: _said(second, "Presiden")}
    report = format_pfsa_report(*evaluate_pfsa([first, second], predictions.__getitem__)).splitlines()
    assert report[0].split() == ["articles", "n", "gold", "pred", "recall", "precision", "attributed", "speaker", "kata",
                                 "-nya", "exact"]
    assert report[1].split() == ["all", "2", "3", "3", "1.000", "1.000", "1.000", "0.333", "0.500", "0.000", "0.333"]
    assert report[2].split() == ["even", "half", "1", "1", "1", "1.000", "1.000", "1.000", "0.000", "0.000", "-", "0.000"]
    assert report[3].split() == ["odd", "half", "1", "2", "2", "1.000", "1.000", "1.000", "0.500", "1.000", "0.000", "0.500"]


def test_a_speaker_longer_than_every_name_of_its_article_is_not_right_though_it_ends_in_the_name():
    first = read_pfsa(FIXTURE)[0]
    overlong = "Wakil Kepala Dinas Pertamanan Kota Siti Rahmawati Lubis"   # 8 words; the longest gold name has 6
    predictions = {first.text: _said(first, overlong, "Bambang Hartono")}
    report = format_pfsa_report(*evaluate_pfsa([first], predictions.__getitem__)).splitlines()
    assert report[1].split()[5:] == ["1.000", "1.000", "0.500", "0.000", "1.000", "0.500"]


def test_kabar_eval_quotes_on_pfsa(capsys):
    assert main(["eval", "quotes", "--pfsa", str(FIXTURE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[-3:] == ["kata", "-nya", "exact"] and lines[1].split()[:4] == ["all", "2", "3", "3"]
    assert lines[-1].startswith("2 articles, ")


def test_kabar_eval_quotes_needs_a_pfsa_folder(tmp_path, capsys):
    assert main(["eval", "quotes", "--pfsa", str(tmp_path)]) == 2
    assert "gold.jsonl and pages-src/" in capsys.readouterr().err


def test_a_fixed_quarter_of_each_publisher_is_set_aside():
    names = [f"{publisher}_2016-0{day}-01_story" for publisher in ("nyt", "politico") for day in range(1, 9)]
    held = set_aside(reversed(names))
    assert sorted(held) == ["nyt_2016-04-01_story", "nyt_2016-08-01_story",
                            "politico_2016-04-01_story", "politico_2016-08-01_story"]

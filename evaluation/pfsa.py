"""Direct quotes and their speakers on PFSA-ID (Kompas news, Indonesian): read the gold, score Kabar.

``DIR/gold.jsonl`` holds one article per line (``id``, ``quotes`` with ``start``/``end`` offsets that
include the quote marks, the ``speaker`` as the article names them most fully, the ``mention`` and
``cue`` that attribute the quote, and ``statements``: every annotated quotation); the texts are
``DIR/pages-src/<id>.txt``. Scores are those of PolNeAR (``evaluation.quotes``: recall, precision
against the statements, attributed, speaker accuracy by the gold speaker's last word), plus:

* speaker accuracy after a ``kata``-type cue (``kata X``, ``ujar X``) and after a ``-nya`` cue
  (``katanya``: the speaker is whoever the article was about), the two ways Kompas attributes;
* exact full-name accuracy: the predicted speaker, titles aside ("Komisaris Besar", "Presiden",
  acronyms of offices), is the gold speaker's full name, titles aside, word for word;
* a predicted speaker longer than the longest gold speaker of its article counts as wrong in both
  (a run of role words is not a name that happens to end in the right word).

Halves are by article number (even and odd): a change is developed on one and confirmed on the other.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.quotes import (HEADER, Counts, GoldQuote, PredictedQuote, QuoteScores, kabar_predictor, matched_predictions,
                               score_article, score_columns, share, shown, timed_predictions, timing_line)
from transforms.lexicons import load, person_title_words

_WORD = re.compile(r"\w+")
_PARENTHESES = re.compile(r"\([^)]*\)")
BACKREF_ENDING = "nya"
_TOO_LONG = "\u2014"   # the speaker of a prediction whose speaker is too long to be a name: attributed, never right


@dataclass(frozen=True)
class PfsaQuote:
    start: int
    end: int
    speaker: str | None
    cue: str | None


@dataclass(frozen=True)
class PfsaArticle:
    name: str
    number: int
    text: str
    quotes: tuple[PfsaQuote, ...]
    statements: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SpeakerScores(Counts):
    """Counts beside ``QuoteScores``: judged quotes (found, attributed, with a gold speaker) by cue kind,
    and those right by head word and by exact full name."""
    judged: int = 0
    exact: int = 0
    kata_judged: int = 0
    kata_right: int = 0
    nya_judged: int = 0
    nya_right: int = 0


def read_pfsa(folder: str | Path) -> list[PfsaArticle]:
    """The articles of ``folder`` in the order of ``gold.jsonl``."""
    folder = Path(folder)
    articles = []
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = (folder / "pages-src" / f"{record['id']}.txt").read_text(encoding="utf-8")
        quotes = tuple(PfsaQuote(q["start"], q["end"], q.get("speaker"), q.get("cue")) for q in record["quotes"])
        digits = re.search(r"(\d+)$", record["id"])
        number = int(digits.group(1)) if digits else len(articles)
        articles.append(PfsaArticle(record["id"], number, text, quotes,
                                    tuple((start, end) for start, end in record.get("statements", ()))))
    return articles


def name_without_titles(name: str) -> tuple[str, ...]:
    """A speaker's name as casefolded words, without the titles and offices before it ("Komisaris
    Besar Tubagus Ade Hidayat" -> tubagus ade hidayat; "Panglima TNI Marsekal Hadi Tjahjanto" -> hadi
    tjahjanto) or anything in parentheses."""
    title_words = {word.casefold() for word in person_title_words()}
    words = _WORD.findall(_PARENTHESES.sub(" ", name))
    while len(words) > 1 and (words[0].casefold() in title_words or words[0].isupper() or words[0].islower()):
        words = words[1:]
    return tuple(word.casefold() for word in words)


def same_name(predicted: str, gold: str) -> bool:
    """Whether ``predicted`` is ``gold``'s full name, titles aside: the same words, or its last words when
    those before them name an office ("Kepala Dinas Pertamanan Siti Lubis": an organisation's head word
    opens "Dinas Pertamanan")."""
    said, named = name_without_titles(predicted), name_without_titles(gold)
    if said == named:
        return True
    office = {word.casefold() for word in load("organisation_heads")["org"]}
    before = named[:len(named) - len(said)]
    return 0 < len(said) < len(named) and named[len(before):] == said and before[0] in office


def score_pfsa_article(article: PfsaArticle, predicted: Sequence[PredictedQuote]) -> tuple[QuoteScores, SpeakerScores]:
    """PolNeAR's counts (a speaker longer than the article's longest gold speaker is not right) and
    the PFSA-ID ones."""
    longest = max((len(_WORD.findall(q.speaker)) for q in article.quotes if q.speaker), default=0)
    fitting = [p if p.speaker is None or len(_WORD.findall(p.speaker)) <= longest else PredictedQuote(p.start, p.end, _TOO_LONG)
               for p in predicted]
    gold = [GoldQuote(((q.start, q.end),), frozenset({_WORD.findall(q.speaker)[-1].casefold()} if q.speaker else ()))
            for q in article.quotes]
    scores = score_article(article.text, gold, [(span,) for span in article.statements], fitting)
    speakers = SpeakerScores()
    for quote, gold_quote, best in zip(article.quotes, gold, matched_predictions(article.text, gold, fitting),
                                       strict=True):
        if best is None or not best.speaker or not quote.speaker:
            continue
        right = bool(gold_quote.speaker_heads & {w.casefold() for w in _WORD.findall(best.speaker)})
        exact = same_name(best.speaker, quote.speaker)
        nya = bool(quote.cue) and quote.cue.casefold().endswith(BACKREF_ENDING)
        speakers += SpeakerScores(1, int(exact), int(not nya), int(right and not nya), int(nya), int(right and nya))
    return scores, speakers


def indonesian_predictor(text: str) -> list[PredictedQuote]:
    return kabar_predictor(text, "id")


def evaluate_pfsa(articles: Sequence[PfsaArticle], predict=indonesian_predictor
                  ) -> tuple[list[tuple[PfsaArticle, QuoteScores, SpeakerScores]], float]:
    """Per-article scores and the seconds ``predict`` took over all articles."""
    predictions, seconds = timed_predictions([article.text for article in articles], predict)
    return [(article, *score_pfsa_article(article, predicted))
            for article, predicted in zip(articles, predictions, strict=True)], seconds


def format_pfsa_report(results: Sequence[tuple[PfsaArticle, QuoteScores, SpeakerScores]], seconds: float) -> str:
    """Scores for all articles and for the even and odd halves by article number."""
    halves = [("all", results), ("even half", [r for r in results if r[0].number % 2 == 0]),
              ("odd half", [r for r in results if r[0].number % 2 == 1])]
    lines = [f"{HEADER} {'kata':>6} {'-nya':>6} {'exact':>6}"]
    for label, part in halves:
        total = sum((scores for _, scores, _ in part), QuoteScores(0, 0, 0, 0, 0, 0, 0, 0))
        speakers = sum((speaker for _, _, speaker in part), SpeakerScores())
        lines.append(f"{label:<10} {score_columns(total)} {shown(share(speakers.kata_right, speakers.kata_judged)):>6} "
                     f"{shown(share(speakers.nya_right, speakers.nya_judged)):>6} "
                     f"{shown(share(speakers.exact, speakers.judged)):>6}")
    return "\n".join([*lines, timing_line(len(results), seconds)])


def run_pfsa_eval(folder: str | Path) -> str:
    """Entry point for ``kabar eval quotes --pfsa DIR``: the printed report."""
    articles = read_pfsa(folder)
    if not articles:
        raise FileNotFoundError(f"no PFSA-ID articles in {Path(folder) / 'gold.jsonl'}")
    return format_pfsa_report(*evaluate_pfsa(articles))

"""Direct-quote evaluation on PolNeAR's brat files: read the gold, score Kabar's quote finder.

Pure Python (the quote finder loads spaCy for English entities): no Dagster, no DuckDB.

PolNeAR (``DIR/text/NAME.txt`` + ``DIR/attributions/NAME_ANNOTATOR.ann``) annotates attributions:
``T<n>\\tSource|Cue|Content|Content2 START END[;START END]\\ttext`` and
``E<n>\\tAttribution:T Content:T Cue:T Source:T [Content2:T]``. Texts annotated by several people
are read from one file, the first by name, so runs are repeatable. Discuss and Discard spans are
not attributions and are ignored.

The gold direct quotes are Content spans that begin and end with a double quote mark and hold at
least three words. Scores, all over word positions (``\\w+`` runs of the text):

* recall: gold quotes some predicted quote overlaps by at least half the shorter one's words;
* attributed: found quotes one of whose overlapping predictions names a speaker (a quote split
  by its cue is often predicted as two pieces, the second continuing the first's speaker);
* speaker accuracy: among found, attributed quotes with an annotated source, those whose
  speaker of the best-overlapping prediction that names one contains the source's head word ("longtime pollster Pat Caddell" -> Caddell);
  a pronoun source ("he") first resolves to the article's previous source with a named head, and
  a definite description ("the president") also accepts the head of the previous named source
  that carries it as a title ("President Barack Obama");
* precision: predicted quotes at least half of whose words lie inside one annotated Content
  (any attribution, direct or not) -- the annotation does not mark every quotation, so a
  prediction outside all attributions is the error that counts.
"""
from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

_WORD = re.compile(r"\w+")
_QUOTE_MARKS = '"“”„«»「」『』'
_MIN_QUOTE_WORDS = 3
_PRONOUNS = frozenset({"he", "she", "him", "her"})
# Capitalised pronouns that are not names: never the antecedent of "he" or "she".
_OTHER_PRONOUNS = frozenset({"i", "we", "you", "it", "they"})
_PARENTHESES = re.compile(r"\([^)]*\)")
# Where a source's head noun phrase ends: a clause, an apposition, or a preposition leading into a
# lower-case phrase ("a spokesman for the campaign"; "Secretary of State John Kerry" stays whole).
_HEAD_END = re.compile(r",|\s(?:who|which|that|and)\s|\s(?:for|of|at|from|in|with|on|to)\s+(?=[a-z])|\s[-–—]+\s")
# A name of two or more capitalised words ends before "of"/"from" ("Gov. Earl Ray Tomblin of West Virginia").
_NAME_BEFORE_PLACE = re.compile(r"(.*?[A-Z][\w.]* [A-Z]\w*) (?:of|from) [A-Z]")
_POSSESSIVE = re.compile(r"['’]s\b")

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Attribution:
    contents: tuple[Spans, ...]     # Content and Content2 spans
    source: str | None              # the source's text, fragments joined by a space
    source_start: int | None


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    attributions: tuple[Attribution, ...]


@dataclass(frozen=True)
class GoldQuote:
    spans: Spans
    speaker_heads: frozenset[str]   # casefolded head words of its sources, pronouns and descriptions resolved


@dataclass(frozen=True)
class PredictedQuote:
    start: int
    end: int
    speaker: str | None


class Counts:
    """Counts that add field by field (one article's to the total)."""

    def __add__(self, other):
        return type(self)(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class QuoteScores(Counts):
    articles: int
    gold: int
    predicted: int
    found: int
    attributed: int
    with_source: int                # found, attributed and with an annotated source
    speaker_right: int
    predicted_inside: int

    @property
    def recall(self) -> float | None:
        return share(self.found, self.gold)

    @property
    def attributed_share(self) -> float | None:
        return share(self.attributed, self.found)

    @property
    def speaker_accuracy(self) -> float | None:
        return share(self.speaker_right, self.with_source)

    @property
    def precision(self) -> float | None:
        return share(self.predicted_inside, self.predicted)



def share(part: int, whole: int) -> float | None:
    """``None`` when nothing was there to count (printed as "-")."""
    return part / whole if whole else None


# --------------------------------------------------------------------------- reading

def read_polnear(folder: str | Path) -> list[Article]:
    """The articles under ``folder`` (``text/`` and ``attributions/``), sorted by name."""
    folder = Path(folder)
    annotations: dict[str, Path] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    articles = []
    for text_path in sorted((folder / "text").glob("*.txt")):
        ann = annotations.get(text_path.stem)
        text = text_path.read_text(encoding="utf-8")
        attributions = parse_brat(ann.read_text(encoding="utf-8"), text) if ann else ()
        articles.append(Article(text_path.stem, text, tuple(attributions)))
    return articles


def parse_brat(annotation: str, text: str) -> list[Attribution]:
    """Attributions of one brat file; span offsets index ``text``."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in annotation.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            kind, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = (kind, tuple(_offsets(part) for part in offsets.split(";")))
        elif line.startswith("E") and len(fields) >= 2:
            events.append([tuple(arg.split(":", 1)) for arg in fields[1].split() if ":" in arg])
    attributions = []
    for arguments in events:
        contents = tuple(spans[ref][1] for role, ref in arguments if role.startswith("Content") and ref in spans)
        source = next((spans[ref][1] for role, ref in arguments if role == "Source" and ref in spans), None)
        source_text = " ".join(text[start:end] for start, end in source) if source else None
        attributions.append(Attribution(contents, source_text, source[0][0] if source else None))
    return attributions


def _offsets(part: str) -> tuple[int, int]:
    start, end = part.split()
    return int(start), int(end)


# --------------------------------------------------------------------------- gold

def gold_quotes(article: Article) -> list[GoldQuote]:
    """The article's direct quotes, one per distinct Content span, with their sources' head words."""
    heads = resolved_source_heads(article.attributions)
    by_spans: dict[Spans, set[str]] = {}
    for attribution, found in zip(article.attributions, heads, strict=True):
        for spans in attribution.contents:
            if is_direct_quote(" ".join(article.text[start:end] for start, end in spans)):
                by_spans.setdefault(spans, set()).update(found)
    return [GoldQuote(spans, frozenset(found)) for spans, found in by_spans.items()]


def is_direct_quote(content: str) -> bool:
    content = content.strip()
    return len(content) > 1 and content[0] in _QUOTE_MARKS and content[-1] in _QUOTE_MARKS \
        and len(_WORD.findall(content)) >= _MIN_QUOTE_WORDS


def resolved_source_heads(attributions: Sequence[Attribution]) -> list[frozenset[str]]:
    """The head words (casefolded) that name each attribution's source. A pronoun ("he") takes
    the head of the previous source, in text order, whose head is a name; a definite description
    ("the president") keeps its own head and adds that of the previous named source written with
    it as a title ("President Barack Obama")."""
    heads: list[frozenset[str]] = [frozenset()] * len(attributions)
    named_before: list[tuple[str, str]] = []      # (source text, head) of named sources so far
    for _, i in sorted((a.source_start, i) for i, a in enumerate(attributions) if a.source_start is not None):
        source = attributions[i].source or ""
        head = source_head(source)
        if not head:
            continue
        if head.casefold() in _PRONOUNS:
            heads[i] = frozenset([named_before[-1][1].casefold()] if named_before else [])
            continue
        heads[i] = frozenset([head.casefold()])
        if head[0].isupper() and head.casefold() not in _OTHER_PRONOUNS:
            named_before.append((source, head))
        elif source.split()[0].casefold() == "the":
            titled = [named for text, named in named_before if head.capitalize() in _WORD.findall(text)]
            heads[i] |= {titled[-1].casefold()} if titled else set()
    return heads


def source_head(source: str) -> str | None:
    """The last word of the source's head noun phrase, without a possessive ending or a
    parenthesis ("Sen. Claire McCaskill (D-Mo.)")."""
    phrase = _HEAD_END.split(f" {_PARENTHESES.sub(' ', source)} ", maxsplit=1)[0]
    named = _NAME_BEFORE_PLACE.match(phrase)
    phrase = named.group(1) if named else phrase
    words = _WORD.findall(_POSSESSIVE.sub("", phrase))
    return words[-1] if words else None


# --------------------------------------------------------------------------- scoring

def score_article(text: str, gold: Sequence[GoldQuote], gold_contents: Iterable[Spans],
                  predicted: Sequence[PredictedQuote]) -> QuoteScores:
    """Counts for one article (see the module notes for each score)."""
    positions = [match.start() for match in _WORD.finditer(text)]
    found = attributed = with_source = speaker_right = 0
    for quote, (matched, best) in zip(gold, _matches(positions, gold, predicted), strict=True):
        found += matched
        if best is None:
            continue
        attributed += 1
        if quote.speaker_heads:
            with_source += 1
            speaker_words = {w.casefold() for w in _WORD.findall(best.speaker)}
            speaker_right += bool(quote.speaker_heads & speaker_words)
    predicted_words = [_words(positions, ((p.start, p.end),)) for p in predicted]
    content_words = [_words(positions, spans) for spans in gold_contents]
    inside = sum(any(len(pw & cw) * 2 >= len(pw) for cw in content_words) for pw in predicted_words if pw)
    return QuoteScores(1, len(gold), len(predicted), found, attributed, with_source, speaker_right, inside)


def matched_predictions(text: str, gold: Sequence[GoldQuote],
                        predicted: Sequence[PredictedQuote]) -> list[PredictedQuote | None]:
    """For each gold quote, the prediction whose speaker is judged: the one overlapping it most among
    those that overlap it enough and name a speaker (None when there is none)."""
    positions = [match.start() for match in _WORD.finditer(text)]
    return [best for _, best in _matches(positions, gold, predicted)]


def _matches(positions: Sequence[int], gold: Sequence[GoldQuote],
             predicted: Sequence[PredictedQuote]) -> list[tuple[bool, PredictedQuote | None]]:
    """Per gold quote: whether a prediction overlaps it by half the shorter one's words, and the
    best-overlapping such prediction that names a speaker."""
    predicted_words = [_words(positions, ((p.start, p.end),)) for p in predicted]
    results = []
    for quote in gold:
        words = _words(positions, quote.spans)
        matches = [(len(words & pw), p) for p, pw in zip(predicted, predicted_words, strict=True)
                   if pw and words and len(words & pw) * 2 >= min(len(words), len(pw))]
        named = [match for match in matches if match[1].speaker]
        results.append((bool(matches), max(named, key=lambda match: match[0])[1] if named else None))
    return results


def _words(positions: Sequence[int], spans: Spans) -> frozenset[int]:
    """Indexes of the words starting inside ``spans``."""
    return frozenset(i for start, end in spans
                     for i in range(bisect_left(positions, start), bisect_left(positions, end)))


Predictor = Callable[[str], list[PredictedQuote]]


def kabar_predictor(text: str, language: str = "en") -> list[PredictedQuote]:
    """Kabar's quote stage on an article: entities, then quotes, as ``kabar run`` does."""
    from transforms.entities import find_entities
    from transforms.quotes import find_quotes

    return [PredictedQuote(q.start_offset, q.end_offset, q.speaker)
            for q in find_quotes(text, language, find_entities(text, language))]


def timed_predictions(texts: Sequence[str], predict: Predictor) -> tuple[list[list[PredictedQuote]], float]:
    """``predict`` on every text, and the seconds it took (the models loaded before the clock starts)."""
    predictions, seconds = [], 0.0
    if texts:
        predict(texts[0])
    for text in texts:
        started = time.perf_counter()
        predictions.append(predict(text))
        seconds += time.perf_counter() - started
    return predictions, seconds


def evaluate(articles: Sequence[Article], predict: Predictor = kabar_predictor) -> tuple[list[QuoteScores], float]:
    """Per-article scores and the seconds ``predict`` took over all articles."""
    predictions, seconds = timed_predictions([article.text for article in articles], predict)
    scores = [score_article(article.text, gold_quotes(article),
                            [spans for a in article.attributions for spans in a.contents], predicted)
              for article, predicted in zip(articles, predictions, strict=True)]
    return scores, seconds


def format_report(scores: Sequence[QuoteScores], seconds: float) -> str:
    """Scores for all articles and for each half (by name, even and odd positions): a change is
    developed on one half and confirmed on the other."""
    rows = [("all", scores), ("even half", scores[0::2]), ("odd half", scores[1::2])]
    lines = [HEADER] + [f"{label:<10} {score_columns(sum(part, QuoteScores(0, 0, 0, 0, 0, 0, 0, 0)))}"
                        for label, part in rows]
    return "\n".join([*lines, timing_line(len(scores), seconds)])


HEADER = (f"{'articles':<10} {'n':>4} {'gold':>5} {'pred':>5} {'recall':>7} {'precision':>9} "
          f"{'attributed':>10} {'speaker':>8}")


def score_columns(total: QuoteScores) -> str:
    """One row's figures under ``HEADER`` after its label."""
    return (f"{total.articles:>4} {total.gold:>5} {total.predicted:>5} {shown(total.recall):>7} "
            f"{shown(total.precision):>9} {shown(total.attributed_share):>10} {shown(total.speaker_accuracy):>8}")


def timing_line(articles: int, seconds: float) -> str:
    rate = f", {articles / seconds:.1f} docs/s" if seconds > 0 else ""
    return f"{articles} articles, {seconds:.2f} s (entities + quotes){rate}"


def shown(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


PARTS = ("all", "rest", "held-out")


def set_aside(names: Iterable[str]) -> set[str]:
    """The quarter of PolNeAR train set aside for a final score: of each publisher's articles (the
    name up to its first "_"), sorted by name, every fourth from the fourth (fixed once; 30 of each
    publisher's 120). Rules are developed on the rest and on dev, never on these."""
    by_publisher: dict[str, list[str]] = {}
    for name in sorted(names):
        by_publisher.setdefault(name.split("_", 1)[0], []).append(name)
    return {name for listed in by_publisher.values() for name in listed[3::4]}


def run_eval(folder: str | Path, part: str = "all") -> str:
    """Entry point for ``kabar eval quotes --polnear DIR [--part …]``: the printed report, over every
    article, the ``rest`` (not set aside) or the ``held-out`` quarter (``set_aside``)."""
    articles = read_polnear(folder)
    held_out = set_aside(article.name for article in articles)
    articles = [article for article in articles if part == "all" or (article.name in held_out) == (part == "held-out")]
    if not articles:
        raise FileNotFoundError(f"no PolNeAR texts under {Path(folder) / 'text'}")
    return format_report(*evaluate(articles))

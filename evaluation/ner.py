"""Named-entity evaluation on CoNLL-style files: read, score exact spans, report.

Pure Python (spaCy is imported lazily, only to load a model): no Dagster, no DuckDB.

File format: one token per line, ``token [POS ...] TAG`` separated by whitespace (the first column
is the token, the last one the BIO tag; anything in between is ignored), a blank line between
sentences, ``-DOCSTART-`` lines skipped. IOB1 is tolerated: an ``I-X`` that does not continue an
``X`` entity starts a new one (the usual conlleval repair).

Scoring is exact-span: a predicted entity counts only when its start, end and type all match a
gold entity. Precision, recall and F1 are given per type and micro-averaged overall.

Model labels are mapped onto Kabar's three types (:data:`LABEL_MAP`):

* ``PERSON``/``PER`` → ``PER``
* ``GPE``, ``LOC``, ``FAC`` → ``LOC`` (countries, cities, regions, places and buildings)
* ``ORG`` → ``ORG``
* anything else (``NORP`` — nationalities, religious and political groups — dates, money, …)
  is dropped: it is not an entity for Kabar.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable, Sequence

from transforms.entities.models import EN_PACKAGE, FR_PACKAGE, ID_MODEL_DIR, id_model_dir, ner_model

TYPES: tuple[str, ...] = ("PER", "ORG", "LOC")

#: Model label → Kabar type. Labels not listed here (NORP, DATE, MONEY, …) are dropped.
LABEL_MAP: dict[str, str] = {
    "PER": "PER", "PERSON": "PER",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
}

#: Kabar's NER models per language: the trained Indonesian folder and the packaged English and French models.
MODELS: dict[str, str | Path] = {"id": ID_MODEL_DIR, "en": EN_PACKAGE, "fr": FR_PACKAGE}

Span = tuple[int, int, str]  # token start (inclusive), token end (exclusive), type


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def spans(self) -> list[Span]:
        return bio_to_spans(self.tags)


# --------------------------------------------------------------------------- reading

def parse_conll(text: str) -> list[Sentence]:
    """Sentences from CoNLL text with 2 or more columns (token first, tag last)."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(tags)))
        tokens.clear()
        tags.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("-DOCSTART-"):
            flush()
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ValueError(f"line {number}: expected 'token [POS] TAG', got {raw!r}")
        tag = parts[-1]
        if tag != "O" and not (len(tag) > 2 and tag[:2] in ("B-", "I-")):
            raise ValueError(f"line {number}: bad tag {tag!r}")
        tokens.append(parts[0])
        tags.append(tag)
    flush()
    return sentences


def read_conll(path: str | Path) -> list[Sentence]:
    """Sentences of a CoNLL file (UTF-8)."""
    return parse_conll(Path(path).read_text(encoding="utf-8"))


def bio_to_spans(tags: Sequence[str]) -> list[Span]:
    """Entity spans from BIO/IOB1 tags; an I- that does not continue its type starts an entity."""
    spans: list[Span] = []
    start, kind = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and kind == label
        if start is not None and not continues:
            spans.append((start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and not continues):
            start, kind = i, label
    return spans


# --------------------------------------------------------------------------- scoring

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.tp + self.fn}


def score_spans(gold: Iterable[Iterable[Span]], predicted: Iterable[Iterable[Span]],
                types: Sequence[str] = TYPES) -> dict[str, Counts]:
    """Exact-span counts per type plus ``"overall"`` (micro), sentence by sentence; a span is any
    tuple whose last item is its type."""
    counts = {t: Counts() for t in types}
    overall = Counts()
    for gold_spans, pred_spans in zip(gold, predicted, strict=True):
        g = Counter(s for s in gold_spans if s[-1] in counts)
        p = Counter(s for s in pred_spans if s[-1] in counts)
        for span in g | p:
            hit = min(g[span], p[span])
            c = counts[span[-1]]
            c.tp += hit
            c.fp += p[span] - hit
            c.fn += g[span] - hit
    for c in counts.values():
        overall.tp += c.tp
        overall.fp += c.fp
        overall.fn += c.fn
    counts["overall"] = overall
    return counts


# --------------------------------------------------------------------------- models

Predictor = Callable[[Sentence], list[Span]]


def map_label(label: str) -> str | None:
    """Kabar type for a model label, ``None`` when it is not an entity for Kabar (e.g. NORP)."""
    return LABEL_MAP.get(label)


def spacy_predictor(nlp: Any, batch_size: int = 64) -> Callable[[Sequence[Sentence]], list[list[Span]]]:
    """A batch predictor running ``nlp`` on each sentence's text (its tokens joined by spaces), so the
    model tokenises as it does in the pipeline; entity character spans map back to gold tokens
    (:func:`to_token_span`)."""

    def predict(sentences: Sequence[Sentence]) -> list[list[Span]]:
        out = []
        for sentence, doc in zip(sentences, nlp.pipe((s.text for s in sentences), batch_size=batch_size)):
            offsets = token_offsets(sentence)
            spans = []
            for ent in doc.ents:
                kind = map_label(ent.label_)
                if kind:
                    spans.append(to_token_span(offsets, ent.start_char, ent.end_char, kind))
            out.append(spans)
        return out

    return predict


def token_offsets(sentence: Sentence) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of each gold token in ``sentence.text``."""
    offsets, position = [], 0
    for token in sentence.tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    return offsets


def to_token_span(offsets: Sequence[tuple[int, int]], start: int, end: int, kind: str) -> Span:
    """The gold tokens a character span touches: a span inside a gold token takes the whole token
    (the model's "KTP" is the gold token "(KTP)"), so scoring stays at the gold's granularity."""
    first = next(i for i, (_, token_end) in enumerate(offsets) if token_end > start)
    last = max(i for i, (token_start, _) in enumerate(offsets) if token_start < end)
    return first, last + 1, kind


def evaluate_model(model: Any, sentences: Sequence[Sentence], *, name: str | None = None,
                   batch_size: int = 64) -> dict[str, Any]:
    """Score a spaCy ``Language`` or a callable ``Sentence -> [(start, end, label), …]`` on gold sentences.

    Callable labels go through :func:`map_label` too. Returns a JSON-ready report: per type and
    ``overall`` precision/recall/F1 with counts, the number of documents (= sentences), tokens,
    seconds and documents per second (prediction time only).
    """
    started = time.perf_counter()
    if hasattr(model, "pipe") and hasattr(model, "vocab"):
        predicted = spacy_predictor(model, batch_size)(sentences)
        name = name or f"{model.meta.get('lang', '?')}_{model.meta.get('name', 'model')}"
    elif callable(model):
        predicted = [[(s, e, k) for s, e, label in model(sent) if (k := map_label(label))] for sent in sentences]
        name = name or getattr(model, "__name__", "callable")
    else:
        raise TypeError(f"expected a spaCy Language or a callable, got {type(model).__name__}")
    seconds = time.perf_counter() - started
    counts = score_spans((s.spans for s in sentences), predicted)
    return {
        "model": name,
        "documents": len(sentences),
        "tokens": sum(len(s.tokens) for s in sentences),
        "seconds": round(seconds, 3),
        "docs_per_second": round(len(sentences) / seconds, 1) if seconds > 0 else None,
        "scores": {key: c.as_dict() for key, c in counts.items()},
    }


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of a report from :func:`evaluate_model`."""
    lines = [f"model: {report.get('model', '?')}",
             f"{'type':<8} {'prec':>6} {'rec':>6} {'f1':>6} {'tp':>6} {'fp':>6} {'fn':>6} {'support':>8}"]
    for key, s in report["scores"].items():
        if key == "overall":
            lines.append("-" * len(lines[1]))
        lines.append(f"{key:<8} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                     f"{s['tp']:>6} {s['fp']:>6} {s['fn']:>6} {s['support']:>8}")
    dps = report.get("docs_per_second")
    lines.append(f"{report['documents']} documents, {report['tokens']} tokens, {report['seconds']:.2f} s"
                 + (f", {dps:.0f} docs/s" if dps else ""))
    return "\n".join(lines)


def load_model(lang: str) -> Any:
    """The spaCy pipeline the entity stage runs for ``lang``, loaded once per process by
    ``transforms.entities.models``: the evaluation scores exactly what ``kabar run`` uses."""
    if lang not in MODELS:
        raise ValueError(f"no NER model for language {lang!r}; known: {', '.join(sorted(MODELS))}")
    model = ner_model(lang)
    if model is None:
        raise FileNotFoundError(f"{id_model_dir()} not found or not loadable: train it with `kabar train ner`")
    return model.nlp


def run_eval(conll_path: str | Path, lang: str = "id") -> str:
    """Entry point for ``kabar eval ner --conll FILE [--lang id]``: the printed report."""
    sentences = read_conll(conll_path)
    nlp = load_model(lang)
    return format_report(evaluate_model(nlp, sentences, name=f"{lang}: {id_model_dir() if lang == 'id' else MODELS[lang]}"))

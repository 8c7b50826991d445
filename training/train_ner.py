"""Train Kabar's Indonesian NER model (blank spaCy ``id`` + ``ner``) on idner-news-2k + NER-Prosa.

    python -m training.train_ner --shared DIR --out models/id_ner

* Training data: ``nlp/idner-news-2k/train.txt`` (1,464 cased news sentences, MIT) and IndoNLU
  NER-Prosa (``nlp/nerp/{train,valid}_preprocess.txt``, 7,560 lower-cased news sentences,
  Apache-2.0; Wilie et al. 2020) with its tags mapped onto Kabar's types (:data:`NERP_TYPES`).
* Selection (:data:`SELECTION_RULE`) is scored on held-out folds of idner train only, with all of
  NERP always on the training side: the product reads cased news, so a lower-cased NERP score would
  measure the wrong thing. With NERP one epoch of one run takes 100-190 s on this shared 2-core
  machine: two settings x 8 epochs on one held-out fold (293 sentences) took 16.5 minutes with two
  workers, so 5-fold cross-validation would take ~80 minutes.
* The saved model is then trained from scratch on all idner train + NERP for exactly the chosen epochs.
* ``dev.txt`` is never used for training or selection: it is scored once, after the model is
  saved, and the scores go into ``meta.json``.
* How NERP is mixed in is a setting key chosen by the held-out score: lower-cased as published or
  re-cased (:func:`recase`) with spellings learnt from the idner training side, and how many
  copies of each idner sentence an epoch holds.
* Entity-swap augmentation (:func:`entity_swap`) is available per setting; it lowered held-out F1
  in both settings tried with idner alone (see :data:`EXPLORATION`), so the finalists do not use it.
* Deterministic: fixed seeds for the folds, the shuffles and the weights; held-out runs go in
  parallel worker processes of one thread each.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from evaluation.corpora import REPO_ROOT, shared_dir  # noqa: E402
from evaluation.ner import Sentence, evaluate_model, format_report, read_conll, token_offsets  # noqa: E402

DATA = Path("nlp") / "idner-news-2k"
NERP = Path("nlp") / "nerp"
NERP_FILES = ("train_preprocess.txt", "valid_preprocess.txt")
#: NER-Prosa tag → Kabar type. EVT (events) and FNB (food and beverage) are no Kabar type: tagged O.
NERP_TYPES = {"PPL": "PER", "PLC": "LOC", "IND": "ORG"}
LICENSE = ("MIT (idner-news-2k) + Apache-2.0 (IndoNLU NER-Prosa; Wilie et al. 2020, IndoNLU: Benchmark and "
           "Resources for Evaluating Indonesian Natural Language Understanding, AACL-IJCNLP 2020)")
SEED = 42
FOLDS = 5
HELD_FOLDS = 1
SELECTION_RULE = (f"held-out folds of idner-news-2k train.txt: sentence indices shuffled with random.Random({SEED}) "
                  "and split into k folds (fold f = every k-th shuffled index starting at f); the first h folds are "
                  "held out one at a time; each setting trains from scratch on the other idner train sentences plus "
                  "all NER-Prosa train+valid sentences (always training data, never scored: lower-cased, while the "
                  "product reads cased news) for max-epochs epochs and scores the cased held-out fold (averaged "
                  "weights) after every epoch; the epoch count with the best mean held-out F1, and the setting with "
                  "the best such mean, are chosen; the saved model is trained from scratch on all idner train.txt "
                  "+ NER-Prosa sentences with that setting and seed for exactly that many epochs, keeping the "
                  "averaged weights of the last epoch; dev.txt unused for training and selection")
MODEL_NAME = "kabar_id_ner"
MAX_BYTES = 15_000_000  # the saved folder must stay under this; larger settings are not chosen
MODEL_VERSION = "0.4.0"
# Characters cut from the edges of a gold span: the entity is the name, not its brackets or quote marks.
_EDGE_MARKS = "()[]{}\"'“”‘’«»"

CONFIG_TEMPLATE = """
[nlp]
lang = "id"
pipeline = ["tok2vec","ner"]
batch_size = 128

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

{embed}
[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = {window}
maxout_pieces = 3

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100
incorrect_spans_key = null
scorer = {{"@scorers":"spacy.ner_scorer.v1"}}

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = {hidden}
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.encode.width}}
upstream = "*"

[training]
seed = {seed}
dropout = {dropout}
max_epochs = {max_epochs}
patience = 0

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = {learn_rate}

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = {batch_start}
stop = {batch_stop}
compound = 1.001
"""

#: Keys a setting may leave out. ``augment``: share of training sentences that get a fresh
#: entity-swapped copy each epoch (see :func:`entity_swap`); 0 = no augmentation. ``nerp``: how
#: NER-Prosa joins the training side: "lower" (as published), "recased" (:func:`recase`) or "none";
#: ``idner_repeat``: copies of each idner sentence per epoch, to weigh the cased news against NERP's
#: 7,560 lower-cased sentences.
SETTING_DEFAULTS: dict[str, Any] = {"attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "augment": 0.0, "nerp": "none",
                                    "idner_repeat": 1}

#: Settings that can be compared (`--settings`); the best mean held-out F1 (meta key ``cv_f1``) is saved.
SETTINGS: dict[str, dict[str, Any]] = {
    "w96d4": dict(width=96, depth=4, window=1, rows=[5000, 1000, 2500, 2500], hidden=64,
                  dropout=0.2, learn_rate=0.001, batch_start=100, batch_stop=1000),
    "w128d4": dict(width=128, depth=4, window=1, rows=[6000, 2000, 3000, 1000], hidden=64,
                   dropout=0.3, learn_rate=0.001, batch_start=100, batch_stop=1000),
    "w128d6": dict(width=128, depth=6, window=1, rows=[6000, 2000, 3000, 1000], hidden=96,
                   dropout=0.3, learn_rate=0.001, batch_start=100, batch_stop=1000),
    # window 2 at width 144 keeps the folder under 15 MB (w160d4w2 with 12k rows: 16.5 MB)
    "w144d4w2": dict(width=144, depth=4, window=2, rows=[5000, 1500, 2500, 1000], hidden=96,
                     dropout=0.35, learn_rate=0.001, batch_start=100, batch_stop=1000),
    "w160d4w2": dict(width=160, depth=4, window=2, rows=[6000, 2000, 3000, 1000], hidden=96,
                     dropout=0.35, learn_rate=0.001, batch_start=100, batch_stop=1000),
}

#: One- or two-key changes to w144d4w2 (held-out results of each: :data:`EXPLORATION`).
VARIANTS: dict[str, dict[str, Any]] = {
    "drop20": {"dropout": 0.2},
    "drop25": {"dropout": 0.25},
    "drop30": {"dropout": 0.3},
    "hidden128": {"hidden": 128},
    "aug50": {"augment": 0.5},
    "drop25-aug20": {"dropout": 0.25, "augment": 0.2},
    "drop25-bs500": {"dropout": 0.25, "batch_stop": 500},
    "drop25-lr2e-3": {"dropout": 0.25, "learn_rate": 0.002},
    "drop25-w128-rows14k": {"dropout": 0.25, "width": 128, "rows": [8000, 2000, 3000, 1000]},
    "char": {"chars": 8, "char_width": 32, "word_rows": 8000},
}
SETTINGS.update({f"w144d4w2-{key}": {**SETTINGS["w144d4w2"], **change} for key, change in VARIANTS.items()})
SETTINGS.update({f"w144d4w2-nerp-{mode}": {**SETTINGS["w144d4w2"], "nerp": mode} for mode in ("lower", "recased")})
SETTINGS["w144d4w2-nerp-lower-idner3"] = {**SETTINGS["w144d4w2-nerp-lower"], "idner_repeat": 3}

#: Held-out F1 of every setting explored while choosing the default ``--settings`` (one run each,
#: same split and seed); copied into meta.json so the record shows what was tried, not only the finalists.
EXPLORATION = Path(__file__).with_name("id_ner_exploration.json")

#: Default ``--settings``: model 0.3.0's setting (best of 5-fold CV on idner alone) with NER-Prosa as
#: published, with idner once or thrice per epoch (thrice held out 0.8275 after 5 epochs, once 0.8100
#: after 7). Re-cased NERP held out 0.707 against 0.810 for lower-cased on the same fold
#: (``nerp_round_1`` in :data:`EXPLORATION`), so it is no finalist.
FINALISTS = ("w144d4w2-nerp-lower", "w144d4w2-nerp-lower-idner3")


_HASH_EMBED = """[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = {attrs}
rows = {rows}
include_static_vectors = false
"""
# Word (NORM) vectors plus the first and last nC/2 characters of each word: spelling patterns of
# names the training data never showed.
_CHAR_EMBED = """[components.tok2vec.model.embed]
@architectures = "spacy.CharacterEmbed.v2"
width = {width}
rows = {word_rows}
nM = {char_width}
nC = {chars}
include_static_vectors = false
"""


def render_config(setting: dict[str, Any], *, max_epochs: int, seed: int = SEED) -> str:
    setting = {**SETTING_DEFAULTS, **setting}
    values = dict(setting, rows=json.dumps(setting["rows"]), attrs=json.dumps(setting["attrs"]),
                  max_epochs=max_epochs, seed=seed)
    embed = (_CHAR_EMBED if setting.get("chars") else _HASH_EMBED).format(**values)
    return CONFIG_TEMPLATE.format(**values, embed=embed)


def cv_folds(sentences: list[Sentence], k: int = FOLDS, seed: int = SEED) -> list[tuple[list[Sentence], list[Sentence]]]:
    """(train, held-out) per fold: see :data:`SELECTION_RULE`. Every sentence is held out once."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    folds = []
    for fold in range(k):
        held = set(order[fold::k])
        folds.append(([s for i, s in enumerate(sentences) if i not in held],
                      [s for i, s in enumerate(sentences) if i in held]))
    return folds


def map_nerp(sentence: Sentence) -> Sentence:
    """NER-Prosa tags as Kabar types (:data:`NERP_TYPES`); EVT, FNB and anything unknown become O."""
    tags = tuple(tag[:2] + NERP_TYPES[tag[2:]] if tag[2:] in NERP_TYPES and tag[:2] in ("B-", "I-") else "O"
                 for tag in sentence.tags)
    return Sentence(sentence.tokens, tags)


def read_nerp(shared: Path) -> list[Sentence]:
    """NER-Prosa train + valid with their own tags (:func:`map_nerp` maps them; :func:`recase` reads EVT/FNB)."""
    return [s for name in NERP_FILES for s in read_conll(shared / NERP / name)]


def case_table(sentences: list[Sentence]) -> dict[str, str]:
    """Most frequent spelling of each lower-cased token, sentence-initial tokens left out (their
    capital says nothing about the word); ties go to the spelling seen first."""
    counts: dict[str, dict[str, int]] = {}
    for s in sentences:
        for token in s.tokens[1:]:
            forms = counts.setdefault(token.lower(), {})
            forms[token] = forms.get(token, 0) + 1
    return {low: max(forms, key=forms.__getitem__) for low, forms in counts.items()}


def recase(sentence: Sentence, table: dict[str, str]) -> Sentence:
    """A lower-cased sentence spelt as cased news would be: each token as ``table`` spells it most
    often; unknown tokens title-cased inside any gold name (EVT and FNB too: names, though not
    Kabar types) and left lower-case outside; the first token and those after . ? ! capitalised
    (NER-Prosa lines often hold several sentences)."""
    inside = {i for a, b, _ in sentence.spans for i in range(a, b)}
    tokens = [table.get(t, t.title() if i in inside else t) for i, t in enumerate(sentence.tokens)]
    for i, token in enumerate(tokens):
        if i == 0 or tokens[i - 1] in (".", "?", "!"):
            tokens[i] = token[:1].upper() + token[1:]
    return Sentence(tuple(tokens), sentence.tags)


def training_side(setting: dict[str, Any], idner: list[Sentence], nerp: list[Sentence]) -> list[Sentence]:
    """The sentences one model trains on: ``idner`` plus NER-Prosa as the setting's ``nerp`` key says;
    re-casing learns its spellings from ``idner`` only (the fitting data, never held-out or dev)."""
    setting = {**SETTING_DEFAULTS, **setting}
    mode, cased = setting["nerp"], idner * setting["idner_repeat"]
    if mode == "none":
        return cased
    if mode == "lower":
        return cased + [map_nerp(s) for s in nerp]
    if mode == "recased":
        table = case_table(idner)
        return cased + [map_nerp(recase(s, table)) for s in nerp]
    raise ValueError(f"unknown nerp mode {mode!r}")


def entity_pool(sentences: list[Sentence]) -> dict[str, list[tuple[str, ...]]]:
    """Entity surface forms per type, from ``sentences`` only (the fitting data, never held-out or dev)."""
    pool: dict[str, set[tuple[str, ...]]] = {}
    for s in sentences:
        for a, b, kind in s.spans:
            pool.setdefault(kind, set()).add(s.tokens[a:b])
    return {kind: sorted(forms) for kind, forms in sorted(pool.items())}


def entity_swap(sentence: Sentence, pool: dict[str, list[tuple[str, ...]]], rng: random.Random) -> Sentence:
    """A copy of ``sentence`` with every entity replaced by a random one of the same type from ``pool``.

    Teaches the model to rely on context and word shape rather than on memorised names, which is
    where held-out errors concentrate (unseen names missed).
    """
    tokens: list[str] = []
    tags: list[str] = []
    last = 0
    for a, b, kind in sentence.spans:
        tokens += sentence.tokens[last:a]
        tags += sentence.tags[last:a]
        new = rng.choice(pool[kind])
        tokens += new
        tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(new) - 1)
        last = b
    tokens += sentence.tokens[last:]
    tags += sentence.tags[last:]
    return Sentence(tuple(tokens), tuple(tags))


def to_examples(nlp: Any, sentences: list[Sentence]) -> list[Any]:
    """Training examples tokenised by the pipeline's own tokenizer, as ``kabar run`` tokenises
    articles: each sentence's text (its tokens joined by spaces) with the gold spans as character
    spans, brackets and quote marks at their edges left out ("(KTP)" is the entity "KTP"). Trained
    on the corpus tokens instead, the model meets "(", "KTP", ")" only at run time."""
    from spacy.training import Example
    from spacy.util import filter_spans

    examples = []
    for s in sentences:
        reference = nlp.make_doc(s.text)
        offsets = token_offsets(s)
        spans = []
        for first, stop, kind in s.spans:
            start, end = offsets[first][0], offsets[stop - 1][1]
            while start < end and s.text[start] in _EDGE_MARKS:
                start += 1
            while end > start and s.text[end - 1] in _EDGE_MARKS:
                end -= 1
            span = reference.char_span(start, end, label=kind, alignment_mode="expand") if end > start else None
            if span is not None:
                spans.append(span)
        reference.ents = filter_spans(spans)
        examples.append(Example(nlp.make_doc(s.text), reference))
    return examples


def train_one(name: str, setting: dict[str, Any], train: list[Sentence], held: list[Sentence] | None, *,
              epochs: int, log=print) -> dict[str, Any]:
    """Train one setting from scratch for ``epochs`` epochs; the pipeline keeps the averaged
    weights. With ``held`` sentences, score them after every epoch: the curve selection reads."""
    from spacy.util import fix_random_seed, load_config_from_str, load_model_from_config
    from spacy.util import registry

    setting = {**SETTING_DEFAULTS, **setting}
    config_text = render_config(setting, max_epochs=epochs)
    config = load_config_from_str(config_text)
    fix_random_seed(SEED)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    batcher = registry.resolve({"b": config["training"]["batcher"]})["b"]  # batch_by_words, compounding sizes
    examples = to_examples(nlp, train)
    optimizer = nlp.initialize(lambda: examples)  # Adam from [training.optimizer]
    rng = random.Random(SEED)
    aug_rng = random.Random(SEED + 1)  # own stream: augmentation draws leave the shuffle stream untouched
    pool = entity_pool(train)
    curve: list[float] = []  # held-out F1 after each epoch
    epoch_losses: list[float] = []  # the final fit's learning curve (it has no held-out sentences)
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        extra = [entity_swap(s, pool, aug_rng) for s in train if s.spans and aug_rng.random() < setting["augment"]]
        epoch_examples = examples + to_examples(nlp, extra)
        rng.shuffle(epoch_examples)
        losses: dict[str, float] = {}
        for batch in batcher(epoch_examples):
            nlp.update(batch, drop=setting["dropout"], sgd=optimizer, losses=losses)
        epoch_losses.append(round(float(losses.get("ner", 0.0)), 1))
        scored = ""
        if held is not None:
            with nlp.use_params(optimizer.averages):
                curve.append(evaluate_model(nlp, held, name=name)["scores"]["overall"]["f1"])
            scored = f" held-out F1 {curve[-1]:.4f}"
        log(f"[{name}] epoch {epoch:3d} loss {losses.get('ner', 0):9.1f}{scored} {time.perf_counter() - started:6.1f}s")
    with nlp.use_params(optimizer.averages):
        weights = nlp.to_bytes()
    nlp.from_bytes(weights)
    return {"name": name, "nlp": nlp, "bytes": len(weights), "config": config_text, "setting": setting,
            "curve": curve, "losses": epoch_losses, "seconds": round(time.perf_counter() - started, 1)}


def _fold_curve(job: tuple) -> list[float]:
    name, setting, idner, nerp, held, epochs = job
    train = training_side(setting, idner, nerp)
    return train_one(name, setting, train, held, epochs=epochs, log=lambda m: print(m, flush=True))["curve"]


def _one_thread() -> None:
    """Worker start-up, before numpy loads: one BLAS thread per held-out run, runs in parallel instead."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"


def select(names: list[str], idner: list[Sentence], nerp: list[Sentence], *, folds: int, held_folds: int,
           epochs: int, workers: int) -> list[dict[str, Any]]:
    """Per setting: mean held-out F1 per epoch over the first ``held_folds`` of ``folds`` folds of
    ``idner`` (:data:`SELECTION_RULE`), and the best epoch. All settings' runs share one pool."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    splits = cv_folds(idner, folds)[:held_folds]
    jobs = [(f"{name}/fold{f}", SETTINGS[name], train, nerp, held, epochs)
            for name in names for f, (train, held) in enumerate(splits)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_one_thread) as pool:
        curves = list(pool.map(_fold_curve, jobs))
    runs = []
    for i, name in enumerate(names):
        mine = curves[i * held_folds:(i + 1) * held_folds]
        mean = [round(sum(curve[e] for curve in mine) / len(mine), 4) for e in range(epochs)]
        best = max(range(epochs), key=mean.__getitem__)
        runs.append({"name": name, "setting": SETTINGS[name], "best_epoch": best + 1, "cv_f1": mean[best],
                     "mean_curve": mean, "fold_curves": [[round(f1, 4) for f1 in curve] for curve in mine]})
    print(f"selection wall time {time.perf_counter() - started:.1f}s", flush=True)
    return runs


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train_ner", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None, help="shared data folder (default: $KABAR_SHARED or ../shared)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "models" / "id_ner")
    parser.add_argument("--settings", default=",".join(FINALISTS), help=f"comma-separated, from {', '.join(SETTINGS)}")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds idner train is split into")
    parser.add_argument("--held-folds", type=int, default=HELD_FOLDS, help="how many of them are held out in turn")
    parser.add_argument("--max-epochs", type=int, default=8, help="epochs each held-out run trains (the chosen count is at most this)")
    parser.add_argument("--threads", type=int, default=2, help="parallel held-out runs; threads of the final fit")
    args = parser.parse_args(argv)

    shared = args.shared or shared_dir()
    train_path, dev_path = shared / DATA / "train.txt", shared / DATA / "dev.txt"
    sentences = read_conll(train_path)
    nerp = read_nerp(shared)
    print(f"idner train {len(sentences)} sentences ({args.held_folds} of {args.folds} folds held out in turn), "
          f"NER-Prosa {len(nerp)} sentences (always training)", flush=True)

    wall_start = time.perf_counter()
    names = [n.strip() for n in args.settings.split(",") if n.strip()]
    runs = select(names, sentences, nerp, folds=args.folds, held_folds=args.held_folds, epochs=args.max_epochs,
                  workers=args.threads)
    selection_seconds = round(time.perf_counter() - wall_start, 1)
    for run in runs:
        print(f"{run['name']}: best mean held-out F1 {run['cv_f1']:.4f} after {run['best_epoch']} epochs", flush=True)
    chosen = max(runs, key=lambda r: r["cv_f1"])
    print(f"chosen: {chosen['name']}, {chosen['best_epoch']} epochs", flush=True)
    everything = training_side(chosen["setting"], sentences, nerp)
    final = train_one(f"{chosen['name']}+all", chosen["setting"], everything, None, epochs=chosen["best_epoch"],
                      log=lambda m: print(m, flush=True))
    wall = round(time.perf_counter() - wall_start, 1)

    nlp = final["nlp"]
    out = args.out
    tmp = Path(tempfile.mkdtemp(prefix="id_ner.", dir=out.parent if out.parent.exists() else None))
    nlp.meta.update({"name": MODEL_NAME, "version": MODEL_VERSION, "lang": "id",
                     "description": "Kabar Indonesian NER (PER, ORG, LOC), blank spaCy id + tok2vec + ner",
                     "license": LICENSE})
    nlp.to_disk(tmp)

    # Dev scores: computed once, after the choice, from the saved model.
    import spacy

    saved = spacy.load(tmp)
    dev_report = evaluate_model(saved, read_conll(dev_path), name=f"{MODEL_NAME} dev")
    print(format_report(dev_report), flush=True)

    shared_arg = "" if args.shared is None else f" --shared {args.shared}"
    meta_path = tmp / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["kabar"] = {
        "training_data": [{"file": str(DATA / "train.txt"), "sha256": sha256_file(train_path),
                           "sentences": len(sentences), "license": "MIT"}]
                         + [{"file": str(NERP / name), "sha256": sha256_file(shared / NERP / name),
                             "sentences": len(read_conll(shared / NERP / name)), "license": "Apache-2.0"}
                            for name in NERP_FILES],
        "license": LICENSE,
        "selection": {"rule": SELECTION_RULE, "folds": args.folds, "held_folds": args.held_folds,
                      "max_epochs": args.max_epochs, "wall_seconds": selection_seconds,
                      "settings": {r["name"]: {k: r[k] for k in ("cv_f1", "best_epoch", "mean_curve", "fold_curves")}
                                   for r in runs}},
        "setting": chosen["name"],
        "epochs": chosen["best_epoch"],
        "cv_f1": chosen["cv_f1"],
        "config": final["config"],
        "exploration": json.loads(EXPLORATION.read_text(encoding="utf-8")) if EXPLORATION.is_file() else None,
        "final_fit": {"sentences": len(everything), "epochs": chosen["best_epoch"], "seconds": final["seconds"],
                      "loss_curve": final["losses"]},
        "training_wall_seconds": wall,
        "threads": args.threads,
        "seed": SEED,
        "dev_scores": dev_report["scores"],
        "dev_docs_per_second": dev_report["docs_per_second"],
        "dev_data": {"file": str(DATA / "dev.txt"), "sha256": sha256_file(dev_path)},
        "label_mapping": ("model labels are PER, ORG, LOC: idner-news-2k's own; NER-Prosa "
                          + ", ".join(f"{k}→{v}" for k, v in NERP_TYPES.items()) + ", EVT and FNB → O"),
        "reproduce": (f"python -m training.train_ner{shared_arg} --out {args.out} --settings {args.settings} "
                      f"--folds {args.folds} --held-folds {args.held_folds} --max-epochs {args.max_epochs} "
                      f"--threads {args.threads}"),
        "spacy_version": spacy.__version__,
        "python": sys.version.split()[0],
    }
    meta["performance"] = {"ents_f": dev_report["scores"]["overall"]["f1"],
                           "ents_p": dev_report["scores"]["overall"]["precision"],
                           "ents_r": dev_report["scores"]["overall"]["recall"],
                           "ents_per_type": {k: {"p": v["precision"], "r": v["recall"], "f": v["f1"]}
                                             for k, v in dev_report["scores"].items() if k != "overall"}}
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(tmp), out)
    size = folder_size(out)
    print(f"saved {out} ({size / 1e6:.1f} MB), training wall time {wall}s", flush=True)
    if size > MAX_BYTES:
        print("WARNING: model folder is larger than 15 MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

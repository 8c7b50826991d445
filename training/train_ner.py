"""Train Kabar's Indonesian NER model (blank spaCy ``id`` + ``ner``) on idner-news-2k.

    python -m training.train_ner --shared DIR --out models/id_ner

* Trains on ``nlp/idner-news-2k/train.txt`` only. Each setting is cross-validated on train
  (:data:`SELECTION_RULE`): k models per setting, each scored on its held-out fold after every
  epoch. The epoch count with the best mean fold F1 and the setting with the best such mean are
  chosen; one held-out slice of ~150 sentences was too noisy to choose by (it picked 6 epochs,
  where 5-fold cross-validation shows the curve still rising to ~20).
* The saved model is then trained from scratch on *all* of train for exactly the chosen epochs.
* ``dev.txt`` is never used for training or selection: it is scored once, after the model is
  saved, and the scores go into ``meta.json``.
* Entity-swap augmentation (:func:`entity_swap`) is available per setting; it lowered held-out F1
  in both settings tried (see :data:`EXPLORATION`), so the finalists do not use it.
* Deterministic: fixed seeds for the folds, the shuffles and the weights; folds run in parallel
  worker processes of one thread each.
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
SEED = 42
FOLDS = 5
SELECTION_RULE = (f"k-fold cross-validation on train.txt: sentence indices shuffled with random.Random({SEED}), "
                  "fold f holds out every k-th shuffled index starting at f; each setting trains k times from scratch "
                  "for max-epochs epochs and scores its held-out fold (averaged weights) after every epoch; the epoch "
                  "count with the best mean F1 over the folds, and the setting with the best such mean, are chosen; "
                  "the saved model is trained from scratch on all train.txt sentences with that setting and seed for "
                  "exactly that many epochs, keeping the averaged weights of the last epoch; dev.txt unused for "
                  "training and selection")
MODEL_NAME = "kabar_id_ner"
MAX_BYTES = 15_000_000  # the saved folder must stay under this; larger settings are not chosen
MODEL_VERSION = "0.3.0"
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
#: entity-swapped copy each epoch (see :func:`entity_swap`); 0 = no augmentation.
SETTING_DEFAULTS: dict[str, Any] = {"attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "augment": 0.0}

#: Settings that can be cross-validated (`--settings`); the best mean fold F1 is saved.
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

#: Held-out F1 of every setting explored while choosing the default ``--settings`` (one run each,
#: same split and seed); copied into meta.json so the record shows what was tried, not only the finalists.
EXPLORATION = Path(__file__).with_name("id_ner_exploration.json")

#: Default ``--settings``: the previous default and the best explored variant on held-out F1.
FINALISTS = ("w144d4w2", "w144d4w2-drop25")


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
    weights. With ``held`` sentences, score them after every epoch: the curve cross-validation reads."""
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
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        extra = [entity_swap(s, pool, aug_rng) for s in train if s.spans and aug_rng.random() < setting["augment"]]
        epoch_examples = examples + to_examples(nlp, extra)
        rng.shuffle(epoch_examples)
        losses: dict[str, float] = {}
        for batch in batcher(epoch_examples):
            nlp.update(batch, drop=setting["dropout"], sgd=optimizer, losses=losses)
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
            "curve": curve, "seconds": round(time.perf_counter() - started, 1)}


def _fold_curve(job: tuple) -> list[float]:
    name, setting, train, held, epochs = job
    return train_one(name, setting, train, held, epochs=epochs, log=lambda m: print(m, flush=True))["curve"]


def _one_thread() -> None:
    """Worker start-up, before numpy loads: one BLAS thread per fold, folds in parallel instead."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"


def cross_validate(name: str, setting: dict[str, Any], sentences: list[Sentence], *, folds: int, epochs: int,
                   workers: int) -> dict[str, Any]:
    """Mean held-out F1 per epoch over ``folds`` folds of ``sentences``, and the best epoch."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    jobs = [(f"{name}/fold{f}", setting, train, held, epochs) for f, (train, held) in enumerate(cv_folds(sentences, folds))]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_one_thread) as pool:
        curves = list(pool.map(_fold_curve, jobs))
    mean = [round(sum(curve[e] for curve in curves) / len(curves), 4) for e in range(epochs)]
    best = max(range(epochs), key=mean.__getitem__)
    return {"name": name, "setting": setting, "best_epoch": best + 1, "cv_f1": mean[best], "mean_curve": mean,
            "fold_curves": [[round(f1, 4) for f1 in curve] for curve in curves],
            "seconds": round(time.perf_counter() - started, 1)}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train_ner", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None, help="shared data folder (default: $KABAR_SHARED or ../shared)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "models" / "id_ner")
    parser.add_argument("--settings", default=",".join(FINALISTS), help=f"comma-separated, from {', '.join(SETTINGS)}")
    parser.add_argument("--folds", type=int, default=FOLDS, help="cross-validation folds that choose setting and epochs")
    parser.add_argument("--max-epochs", type=int, default=30, help="epochs each fold runs (the chosen count is at most this)")
    parser.add_argument("--threads", type=int, default=2, help="parallel fold workers; threads of the final fit")
    args = parser.parse_args(argv)

    shared = args.shared or shared_dir()
    train_path, dev_path = shared / DATA / "train.txt", shared / DATA / "dev.txt"
    sentences = read_conll(train_path)
    print(f"train {len(sentences)} sentences, {args.folds}-fold cross-validation (from {train_path})", flush=True)

    wall_start = time.perf_counter()
    runs = [cross_validate(name, SETTINGS[name], sentences, folds=args.folds, epochs=args.max_epochs,
                           workers=args.threads)
            for name in [n.strip() for n in args.settings.split(",") if n.strip()]]
    for run in runs:
        print(f"{run['name']}: best mean fold F1 {run['cv_f1']:.4f} after {run['best_epoch']} epochs", flush=True)
    chosen = max(runs, key=lambda r: r["cv_f1"])
    print(f"chosen: {chosen['name']}, {chosen['best_epoch']} epochs", flush=True)
    final = train_one(f"{chosen['name']}+all", chosen["setting"], sentences, None, epochs=chosen["best_epoch"],
                      log=lambda m: print(m, flush=True))
    wall = round(time.perf_counter() - wall_start, 1)

    nlp = final["nlp"]
    out = args.out
    tmp = Path(tempfile.mkdtemp(prefix="id_ner.", dir=out.parent if out.parent.exists() else None))
    nlp.meta.update({"name": MODEL_NAME, "version": MODEL_VERSION, "lang": "id",
                     "description": "Kabar Indonesian NER (PER, ORG, LOC), blank spaCy id + tok2vec + ner",
                     "license": "MIT (training data: idner-news-2k, MIT)"})
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
        "training_data": {"file": str(DATA / "train.txt"), "sha256": sha256_file(train_path), "sentences": len(sentences)},
        "selection": {"rule": SELECTION_RULE, "folds": args.folds, "max_epochs": args.max_epochs,
                      "settings": {r["name"]: {k: r[k] for k in ("cv_f1", "best_epoch", "seconds", "mean_curve", "fold_curves")}
                                   for r in runs}},
        "setting": chosen["name"],
        "epochs": chosen["best_epoch"],
        "cv_f1": chosen["cv_f1"],
        "config": final["config"],
        "exploration": json.loads(EXPLORATION.read_text(encoding="utf-8")) if EXPLORATION.is_file() else None,
        "final_fit": {"sentences": len(sentences), "epochs": chosen["best_epoch"], "seconds": final["seconds"]},
        "training_wall_seconds": wall,
        "threads": args.threads,
        "seed": SEED,
        "dev_scores": dev_report["scores"],
        "dev_docs_per_second": dev_report["docs_per_second"],
        "dev_data": {"file": str(DATA / "dev.txt"), "sha256": sha256_file(dev_path)},
        "label_mapping": "model labels are PER, ORG, LOC (the data's own)",
        "reproduce": (f"python -m training.train_ner{shared_arg} --out {args.out} --settings {args.settings} "
                      f"--folds {args.folds} --max-epochs {args.max_epochs} --threads {args.threads}"),
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

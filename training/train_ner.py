"""Train Kabar's Indonesian NER model (blank spaCy ``id`` + ``ner``) on idner-news-2k.

    python -m training.train_ner --shared DIR --out models/id_ner

* Trains on ``nlp/idner-news-2k/train.txt`` only. A fixed held-out slice of train (see
  :func:`split_train`) drives early stopping and the choice between settings.
* The chosen setting is then refit from scratch on *all* of train (held-out slice included) for
  the epoch count chosen on the held-out slice (:data:`REFIT_RULE`): 10% more data at no cost to
  selection, which has already been made. ``--no-refit`` saves the selection model instead.
* ``dev.txt`` is never used for training or selection: it is scored once, after the model is
  chosen and saved, and the scores go into ``meta.json``.
* Entity-swap augmentation (:func:`entity_swap`) is available per setting; it lowered held-out F1
  in both settings tried (see :data:`EXPLORATION`), so the finalists do not use it.
* Deterministic: fixed seeds for the split, the shuffles and the weights; at most 2 threads.
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
HOLDOUT_FRACTION = 0.10
HOLDOUT_RULE = (f"train.txt sentences in file order, indices shuffled with random.Random({SEED}); "
                f"the last ceil({HOLDOUT_FRACTION:.0%} of n) shuffled indices are held out; "
                "dev.txt unused for training and selection")
REFIT_RULE = ("after choosing the setting and its best epoch on the held-out slice, the saved model is refit "
              "from scratch on all train.txt sentences (train + held-out) with the same config and seed for exactly "
              "that many epochs, keeping the averaged weights of the last epoch; it is not re-scored on held-out "
              "(held-out is now training data)")
MODEL_NAME = "kabar_id_ner"
MAX_BYTES = 15_000_000  # the saved folder must stay under this; larger settings are not chosen
MODEL_VERSION = "0.2.0"
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

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = {attrs}
rows = {rows}
include_static_vectors = false

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
patience = {patience}

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

#: Settings tried, in order; the best on the held-out slice is saved.
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
}
SETTINGS.update({f"w144d4w2-{key}": {**SETTINGS["w144d4w2"], **change} for key, change in VARIANTS.items()})

#: Held-out F1 of every setting explored while choosing the default ``--settings`` (one run each,
#: same split and seed); copied into meta.json so the record shows what was tried, not only the finalists.
EXPLORATION = Path(__file__).with_name("id_ner_exploration.json")

#: Default ``--settings``: the previous default and the best explored variant on held-out F1.
FINALISTS = ("w144d4w2", "w144d4w2-drop25")


def render_config(setting: dict[str, Any], *, max_epochs: int, patience: int, seed: int = SEED) -> str:
    setting = {**SETTING_DEFAULTS, **setting}
    values = dict(setting, rows=json.dumps(setting["rows"]), attrs=json.dumps(setting["attrs"]),
                  max_epochs=max_epochs, patience=patience, seed=seed)
    return CONFIG_TEMPLATE.format(**values)


def split_train(sentences: list[Sentence], fraction: float = HOLDOUT_FRACTION,
                seed: int = SEED) -> tuple[list[Sentence], list[Sentence]]:
    """(train, held-out): see :data:`HOLDOUT_RULE`."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    n_hold = -(-len(sentences) * round(fraction * 100) // 100)  # ceil
    held = sorted(order[len(order) - n_hold:])
    keep = sorted(order[:len(order) - n_hold])
    return [sentences[i] for i in keep], [sentences[i] for i in held]


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
              max_epochs: int, patience: int, deadline: float | None, log=print) -> dict[str, Any]:
    """Train one setting; keep the weights of the best held-out epoch.

    With ``held=None`` (the final refit) there is no selection: all ``max_epochs`` epochs run and
    the last averaged weights are kept.
    """
    from spacy.util import fix_random_seed, load_config_from_str, load_model_from_config
    from spacy.util import registry

    setting = {**SETTING_DEFAULTS, **setting}
    config_text = render_config(setting, max_epochs=max_epochs, patience=patience)
    config = load_config_from_str(config_text)
    fix_random_seed(SEED)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    batcher = registry.resolve({"b": config["training"]["batcher"]})["b"]  # batch_by_words, compounding sizes
    examples = to_examples(nlp, train)
    optimizer = nlp.initialize(lambda: examples)  # Adam from [training.optimizer]
    rng = random.Random(SEED)
    aug_rng = random.Random(SEED + 1)  # own stream: augmentation draws leave the shuffle stream untouched
    pool = entity_pool(train)
    best = {"f1": -1.0, "epoch": 0, "bytes": None, "report": None}
    curve: list[float] = []  # held-out F1 per epoch
    started = time.perf_counter()
    for epoch in range(1, max_epochs + 1):
        extra = [entity_swap(s, pool, aug_rng) for s in train if s.spans and aug_rng.random() < setting["augment"]]
        epoch_examples = examples + to_examples(nlp, extra)
        rng.shuffle(epoch_examples)
        losses: dict[str, float] = {}
        for batch in batcher(epoch_examples):
            nlp.update(batch, drop=setting["dropout"], sgd=optimizer, losses=losses)
        if held is None:
            log(f"[{name}] epoch {epoch:3d} loss {losses.get('ner', 0):9.1f} (refit, no held-out) "
                f"{time.perf_counter() - started:6.1f}s")
            continue
        with nlp.use_params(optimizer.averages):
            report = evaluate_model(nlp, held, name=name)
            f1 = report["scores"]["overall"]["f1"]
            curve.append(f1)
            if f1 > best["f1"]:
                best = {"f1": f1, "epoch": epoch, "bytes": nlp.to_bytes(), "report": report}
        log(f"[{name}] epoch {epoch:3d} loss {losses.get('ner', 0):9.1f} held-out F1 {f1:.4f} "
            f"(best {best['f1']:.4f} @ {best['epoch']}) {time.perf_counter() - started:6.1f}s")
        if epoch - best["epoch"] >= patience:
            break
        if deadline is not None and time.perf_counter() > deadline:
            log(f"[{name}] time budget reached")
            break
    if held is None:
        with nlp.use_params(optimizer.averages):
            best = {"f1": None, "epoch": epoch, "bytes": nlp.to_bytes(), "report": None}
    nlp.from_bytes(best["bytes"])
    return {"name": name, "nlp": nlp, "bytes": len(best["bytes"]), "config": config_text, "setting": setting,
            "best_epoch": best["epoch"], "epochs_run": epoch, "heldout": best["report"], "curve": curve,
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
    parser.add_argument("--max-epochs", type=int, default=40)
    parser.add_argument("--patience", type=int, default=8, help="epochs without held-out improvement before stopping")
    parser.add_argument("--time-budget", type=float, default=None, help="seconds per setting (optional)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-refit", dest="refit", action="store_false",
                        help="save the held-out-selected model instead of refitting it on all of train")
    args = parser.parse_args(argv)

    try:
        import torch  # noqa: F401  (only if present; spaCy here runs on numpy)
        torch.set_num_threads(args.threads)
    except ImportError:
        pass

    shared = args.shared or shared_dir()
    train_path, dev_path = shared / DATA / "train.txt", shared / DATA / "dev.txt"
    all_train = read_conll(train_path)
    train, held = split_train(all_train)
    print(f"train {len(train)} sentences, held-out {len(held)} (from {train_path})", flush=True)

    wall_start = time.perf_counter()
    runs = []
    for name in [n.strip() for n in args.settings.split(",") if n.strip()]:
        deadline = time.perf_counter() + args.time_budget if args.time_budget else None
        run = train_one(name, SETTINGS[name], train, held, max_epochs=args.max_epochs, patience=args.patience,
                        deadline=deadline, log=lambda m: print(m, flush=True))
        runs.append(run)
    small = [r for r in runs if r["bytes"] <= MAX_BYTES] or runs
    chosen = max(small, key=lambda r: r["heldout"]["scores"]["overall"]["f1"])
    print(f"chosen (best held-out F1 among settings <= {MAX_BYTES / 1e6:.0f} MB): {chosen['name']} (held-out F1 {chosen['heldout']['scores']['overall']['f1']:.4f})", flush=True)
    final = chosen
    if args.refit:  # same setting and seed, all of train, for the epoch count chosen on the held-out slice
        final = train_one(f"{chosen['name']}+refit", chosen["setting"], all_train, None, max_epochs=chosen["best_epoch"],
                          patience=args.patience, deadline=None, log=lambda m: print(m, flush=True))
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
        "training_data": {"file": str(DATA / "train.txt"), "sha256": sha256_file(train_path),
                          "sentences": len(all_train), "train_sentences": len(train), "heldout_sentences": len(held)},
        "heldout_split": HOLDOUT_RULE,
        "config": final["config"],
        "setting": chosen["name"],
        "settings_tried": {r["name"]: {"heldout_f1": r["heldout"]["scores"]["overall"]["f1"], "best_epoch": r["best_epoch"],
                                       "epochs_run": r["epochs_run"], "seconds": r["seconds"],
                                       "serialized_bytes": r["bytes"]} for r in runs},
        "exploration": json.loads(EXPLORATION.read_text(encoding="utf-8")) if EXPLORATION.is_file() else None,
        "best_epoch": chosen["best_epoch"],
        "final_fit": ({"rule": REFIT_RULE, "sentences": len(all_train), "epochs": final["epochs_run"],
                       "seconds": final["seconds"]} if args.refit else
                      {"rule": "no refit: the saved weights are the held-out-selected ones", "sentences": len(train)}),
        "training_wall_seconds": wall,
        "chosen_setting_seconds": chosen["seconds"],
        "threads": args.threads,
        "seed": SEED,
        "heldout_scores": chosen["heldout"]["scores"],  # of the selection model, before any refit
        "dev_scores": dev_report["scores"],
        "dev_docs_per_second": dev_report["docs_per_second"],
        "dev_data": {"file": str(DATA / "dev.txt"), "sha256": sha256_file(dev_path)},
        "label_mapping": "model labels are PER, ORG, LOC (the data's own)",
        "reproduce": (f"python -m training.train_ner{shared_arg} --out {args.out} --settings {args.settings} "
                      f"--max-epochs {args.max_epochs} --patience {args.patience}"
                      + (f" --time-budget {args.time_budget:g}" if args.time_budget else "")
                      + ("" if args.refit else " --no-refit")),
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

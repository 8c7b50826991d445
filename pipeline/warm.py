"""Imported once by the forkserver of Dagster's multiprocess executor (``preload_modules``), so every
step process forks with the NER models and the extractor already loaded instead of loading them again
(~3 s a step on this machine)."""
from pipeline import process  # noqa: F401 - the extractor, enrichment and syndication code
from transforms.entities.models import ner_model

for _language in ("en", "id"):
    ner_model(_language)

"""The one configuration object, resolved once (by the CLI or by ``build_definitions``) from the
environment, and handed down: nothing below reads the environment.

The home (``pipeline.home``: ``KABAR_HOME``, else the nearest ``.kabar`` here or above, else a per-user
folder) holds the Dagster instance, the raw store, staged work, the quality pages and, unless
``KABAR_WAREHOUSE`` says otherwise, the warehouse file.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pipeline.home import find_home
from transforms.documents import DEFAULT_MAX_DOCUMENT_BYTES
from transforms.entities.models import ID_MODEL_DIR

BUNDLED_SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEFAULT_MAX_QUARANTINED_SHARE = 0.2
DEFAULT_BUSY_TIMEOUT_SECONDS = 300.0
# The most documents one chunk step handles (``pipeline.chunks.chunk_sizes`` cuts smaller ones as a run
# ends): a step costs ~0.5 s to start and hand over against ~20 s for 200 pages on this machine, and
# 2,000 pages make 15 steps instead of 23 at 100 (`make bench`).
DEFAULT_CHUNK_DOCUMENTS = 200
# How many loads' quality pages are kept (``pipeline.quality_pages``): a load's record and page are ~30 kB.
DEFAULT_QUALITY_KEEP = 100
# The most bytes one backfill archive may bring over HTTP (a CC-NEWS archive is about 1 GB).
DEFAULT_MAX_ARCHIVE_BYTES = 8 * 1024**3
# Where the paths of a CC-NEWS listing (warc.paths.gz) are found.
DEFAULT_CC_BASE_URL = "https://data.commoncrawl.org/"
REMOTE_SCHEMES = ("http://", "https://", "s3://")


class ConfigError(ValueError):
    """An environment variable holds a value Kabar cannot use."""


@dataclass(frozen=True)
class Config:
    home: Path
    warehouse: Path
    home_found: str = "KABAR_HOME"   # how the home was found (``pipeline.home``), for "no warehouse" messages
    inbox: Path | None = None
    sources: Path | None = None   # the outlets' sources file (KABAR_SOURCES)
    # Above this share of a batch's articles held back by checks, the load is blocked (KABAR_MAX_QUARANTINED_SHARE).
    max_quarantined_share: float = DEFAULT_MAX_QUARANTINED_SHARE
    # How long a run waits for another run's writer lock, and a query for the warehouse file (KABAR_BUSY_TIMEOUT).
    busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    chunk_documents: int = DEFAULT_CHUNK_DOCUMENTS
    id_ner_model: Path = ID_MODEL_DIR   # the Indonesian NER model folder (KABAR_ID_NER_MODEL)
    # Where raw documents and staged units are kept: a folder or s3://bucket/prefix (KABAR_RAW_STORE,
    # KABAR_STAGING; default raw_dir and staging_dir), and the S3-compatible server (KABAR_S3_ENDPOINT).
    raw_store: str | None = None
    staging: str | None = None
    # Where Dagster keeps the values steps hand each other (KABAR_DAGSTER_IO: s3://bucket/prefix for
    # workers on several machines; default storage_dir).
    dagster_io: str | None = None
    s3_endpoint: str | None = None
    # The Dagster instance of a deployment (KABAR_DAGSTER_YAML, e.g. deploy/dagster.yaml: PostgreSQL,
    # logs on the object store); default a local SQLite instance in $KABAR_HOME/dagster.
    dagster_yaml: Path | None = None
    # The Redis (or other Celery broker) URL of a deployment's Celery workers (KABAR_CELERY_BROKER): when
    # set, runs execute their steps on those workers (dagster-celery's executor) instead of local processes.
    celery_broker: str | None = None
    # Backfill archives from the network: the most bytes one may bring over HTTP (KABAR_MAX_ARCHIVE_BYTES),
    # and the base URL a CC-NEWS listing's paths are joined to (KABAR_CC_BASE_URL: http(s):// or s3://).
    max_archive_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES
    cc_base_url: str = DEFAULT_CC_BASE_URL
    # The newest loads whose quality pages are kept, older ones pruned (KABAR_QUALITY_KEEP).
    quality_keep: int = DEFAULT_QUALITY_KEEP

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def raw_location(self) -> str:
        return self.raw_store or str(self.raw_dir)

    @property
    def staging_dir(self) -> Path:
        return self.home / "staging"

    @property
    def staging_location(self) -> str:
        return self.staging or str(self.staging_dir)

    @property
    def journal_dir(self) -> Path:
        """Where a step journals the documents it works on (``pipeline.journal``): always local."""
        return self.home / "journals"

    @property
    def quality_dir(self) -> Path:
        """Kabar's own validation pages, one per load (``pipeline.quality_pages``)."""
        return self.home / "quality"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def storage_dir(self) -> Path:
        return self.home / "storage"

    @property
    def crawl_archive_dir(self) -> Path:
        """Where crawls leave their WARC archives, for the `crawled_archives_sensor` to load."""
        return self.home / "crawl" / "archives"

    @property
    def crawl_state(self) -> Path:
        """ETags, Last-Modified and fetched URLs, so a URL is fetched once and feeds conditionally."""
        return self.home / "crawl" / "state.sqlite"

    @property
    def default_inputs(self) -> list[Path]:
        """What a run reads when given no paths: ``KABAR_INBOX``, else the bundled sample corpus."""
        return [self.inbox or BUNDLED_SAMPLES]

    def to_json(self) -> str:
        """The resolved configuration as JSON, for processes that rebuild the job (step workers)."""
        return json.dumps({name: str(value) if isinstance(value, Path) else value
                           for name, value in asdict(self).items()})

    @classmethod
    def from_json(cls, text: str) -> Config:
        values = json.loads(text)
        paths = {field.name for field in fields(cls) if "Path" in str(field.type)}
        return cls(**{name: Path(value) if name in paths and value is not None else value
                      for name, value in values.items()})


def load_config(environ: Mapping[str, str] | None = None) -> Config:
    """The configuration from ``KABAR_HOME``, ``KABAR_WAREHOUSE``, ``KABAR_INBOX``, ``KABAR_SOURCES``,
    ``KABAR_MAX_QUARANTINED_SHARE``, ``KABAR_BUSY_TIMEOUT``, ``KABAR_ID_NER_MODEL``, ``KABAR_RAW_STORE``,
    ``KABAR_STAGING``, ``KABAR_DAGSTER_IO``, ``KABAR_S3_ENDPOINT``, ``KABAR_DAGSTER_YAML``,
    ``KABAR_CELERY_BROKER``, ``KABAR_MAX_ARCHIVE_BYTES``, ``KABAR_CC_BASE_URL`` and ``KABAR_QUALITY_KEEP``;
    ``ConfigError`` for a value out of range."""
    env = os.environ if environ is None else environ
    found = find_home(env)
    home = found.path
    warehouse = Path(env.get("KABAR_WAREHOUSE") or home / "warehouse.duckdb").absolute()
    inbox = Path(env["KABAR_INBOX"]).absolute() if env.get("KABAR_INBOX") else None
    sources = Path(env["KABAR_SOURCES"]).absolute() if env.get("KABAR_SOURCES") else None
    model = Path(env["KABAR_ID_NER_MODEL"]).absolute() if env.get("KABAR_ID_NER_MODEL") else ID_MODEL_DIR
    dagster_yaml = Path(env["KABAR_DAGSTER_YAML"]).absolute() if env.get("KABAR_DAGSTER_YAML") else None
    return Config(home=home, warehouse=warehouse, home_found=found.how, inbox=inbox, sources=sources, id_ner_model=model,
                  raw_store=env.get("KABAR_RAW_STORE") or None, staging=env.get("KABAR_STAGING") or None,
                  dagster_io=env.get("KABAR_DAGSTER_IO") or None,
                  s3_endpoint=env.get("KABAR_S3_ENDPOINT") or None, dagster_yaml=dagster_yaml,
                  celery_broker=env.get("KABAR_CELERY_BROKER") or None,
                  max_quarantined_share=_number(env, "KABAR_MAX_QUARANTINED_SHARE", DEFAULT_MAX_QUARANTINED_SHARE, 1),
                  busy_timeout_seconds=_number(env, "KABAR_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_SECONDS, None),
                  max_archive_bytes=_whole_number(env, "KABAR_MAX_ARCHIVE_BYTES", DEFAULT_MAX_ARCHIVE_BYTES, "bytes"),
                  cc_base_url=_base_url(env, "KABAR_CC_BASE_URL", DEFAULT_CC_BASE_URL),
                  quality_keep=_whole_number(env, "KABAR_QUALITY_KEEP", DEFAULT_QUALITY_KEEP, "runs"))


def _number(env: Mapping[str, str], name: str, default: float, maximum: float | None) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= (maximum if maximum is not None else float("inf")):
        bound = f"between 0 and {maximum:g}" if maximum is not None else "0 or more"
        raise ConfigError(f"{name} must be a number {bound}, not {text!r}")
    return value


def _whole_number(env: Mapping[str, str], name: str, default: int, unit: str) -> int:
    text = env.get(name)
    if not text:
        return default
    if not (text.strip().isascii() and text.strip().isdigit() and int(text) > 0):
        raise ConfigError(f"{name} must be a whole number of {unit} above 0, not {text!r}")
    return int(text)


def _base_url(env: Mapping[str, str], name: str, default: str) -> str:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    if not text.lower().startswith(REMOTE_SCHEMES) or len(text) <= len(text.partition("://")[0]) + 3:
        raise ConfigError(f"{name} must be an http://, https:// or s3:// URL, not {text!r}")
    return text

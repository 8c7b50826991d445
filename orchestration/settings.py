"""Where Kabar keeps its state, from the environment (documented in the README).

``KABAR_HOME`` (default ``.kabar`` in the working directory) holds the Dagster instance, the raw
store, Data Docs and, unless ``KABAR_WAREHOUSE`` says otherwise, the warehouse file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BUNDLED_SAMPLES = Path(__file__).resolve().parent.parent / "samples"

_DAGSTER_YAML = """\
# Written by Kabar: local instance, no telemetry, one warehouse writer at a time.
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""


DEFAULT_MAX_QUARANTINED_SHARE = 0.2
DEFAULT_BUSY_TIMEOUT_SECONDS = 300.0


class SettingsError(ValueError):
    """An environment variable holds a value Kabar cannot use."""


@dataclass(frozen=True)
class Settings:
    home: Path
    warehouse: Path
    inbox: Path | None
    sources: Path | None = None   # the outlets' sources file (KABAR_SOURCES)
    # Above this share of a batch's articles held back by checks, the load is blocked (KABAR_MAX_QUARANTINED_SHARE).
    max_quarantined_share: float = DEFAULT_MAX_QUARANTINED_SHARE
    # How long a run waits for another run's writer lock, and a query for the warehouse file (KABAR_BUSY_TIMEOUT).
    busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def data_docs_dir(self) -> Path:
        return self.home / "data_docs"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def storage_dir(self) -> Path:
        return self.home / "storage"

    @property
    def crawl_archive_dir(self) -> Path:
        return crawl_archive_dir(self.home)

    @property
    def crawl_state(self) -> Path:
        return crawl_state_path(self.home)


def crawl_archive_dir(home: Path) -> Path:
    """Where crawls leave their WARC archives, for the `crawled_archives_sensor` to load."""
    return Path(home) / "crawl" / "archives"


def crawl_state_path(home: Path) -> Path:
    """ETags, Last-Modified and fetched URLs, so a URL is fetched once and feeds conditionally."""
    return Path(home) / "crawl" / "state.sqlite"


def load_settings(environ: os._Environ | dict | None = None) -> Settings:
    """Settings from ``KABAR_HOME``, ``KABAR_WAREHOUSE``, ``KABAR_INBOX``, ``KABAR_SOURCES``,
    ``KABAR_MAX_QUARANTINED_SHARE`` and ``KABAR_BUSY_TIMEOUT``; ``SettingsError`` for a value out of range."""
    env = os.environ if environ is None else environ
    home = Path(env.get("KABAR_HOME") or ".kabar").absolute()
    warehouse = Path(env.get("KABAR_WAREHOUSE") or home / "warehouse.duckdb").absolute()
    inbox = Path(env["KABAR_INBOX"]).absolute() if env.get("KABAR_INBOX") else None
    sources = Path(env["KABAR_SOURCES"]).absolute() if env.get("KABAR_SOURCES") else None
    return Settings(home=home, warehouse=warehouse, inbox=inbox, sources=sources,
                    max_quarantined_share=_number(env, "KABAR_MAX_QUARANTINED_SHARE", DEFAULT_MAX_QUARANTINED_SHARE, 1),
                    busy_timeout_seconds=_number(env, "KABAR_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_SECONDS, None))


def _number(env, name: str, default: float, maximum: float | None) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= (maximum if maximum is not None else float("inf")):
        bound = f"between 0 and {maximum:g}" if maximum is not None else "0 or more"
        raise SettingsError(f"{name} must be a number {bound}, not {text!r}")
    return value


def prepare_dagster_home(settings: Settings) -> Path:
    """Create the project-local ``DAGSTER_HOME`` (telemetry off) and point Dagster at it."""
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists() or config.read_text() != _DAGSTER_YAML:
        config.write_text(_DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home)
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    return settings.dagster_home

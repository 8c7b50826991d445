"""The project-local Dagster instance of a ``KABAR_HOME`` (telemetry off, one warehouse writer at a time)."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.config import Config

_DAGSTER_YAML = """\
# Written by Kabar: local instance, no telemetry, one warehouse writer at a time.
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""


def prepare_dagster_home(config: Config) -> Path:
    """Create the project-local ``DAGSTER_HOME`` (telemetry off) and point Dagster at it."""
    config.dagster_home.mkdir(parents=True, exist_ok=True)
    yaml = config.dagster_home / "dagster.yaml"
    if not yaml.exists() or yaml.read_text() != _DAGSTER_YAML:
        yaml.write_text(_DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(config.dagster_home)
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    return config.dagster_home

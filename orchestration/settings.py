"""The project-local Dagster instance of a ``KABAR_HOME`` (telemetry off, one warehouse writer at a time)."""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.config import Config, ConfigError

_DAGSTER_YAML = """\
# Written by Kabar: local instance, no telemetry, one warehouse writer at a time.
telemetry:
  enabled: false
# No "join the community" sign-up dialog over the UI: it needs the network, and covers the asset page.
nux:
  enabled: false
concurrency:
  pools:
    default_limit: 1
# The steps' progress (transforms/progress.py) into the run's event log, where `kabar` follows it.
python_logs:
  managed_python_loggers: [kabar.progress]
"""


def prepare_dagster_home(config: Config) -> Path:
    """Create the project-local ``DAGSTER_HOME`` and point Dagster at it: the local instance (SQLite,
    telemetry off), or the deployment's (``config.dagster_yaml``, e.g. ``deploy/dagster.yaml``)."""
    wanted = _DAGSTER_YAML
    if config.dagster_yaml is not None:
        try:
            wanted = config.dagster_yaml.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"KABAR_DAGSTER_YAML: cannot read {config.dagster_yaml} ({error.strerror})") from None
    config.dagster_home.mkdir(parents=True, exist_ok=True)
    yaml = config.dagster_home / "dagster.yaml"
    if not yaml.exists() or yaml.read_text() != wanted:
        yaml.write_text(wanted)
    os.environ["DAGSTER_HOME"] = str(config.dagster_home)
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
    return config.dagster_home

"""Shared fixtures: a private KABAR_HOME per test, and the ../shared gold data (skipped when absent,
a failure when CI=true, where it must be present)."""
from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.corpora import shared_dir
from tests.needs import missing


def _require_shared() -> Path:
    root = shared_dir()
    if not (root / "corpus").is_dir():
        missing(f"shared gold data not found at {root} (set KABAR_SHARED)")
    return root


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ``../shared`` folder."""
    return _require_shared()


@pytest.fixture
def kabar_home(tmp_path, monkeypatch) -> Path:
    """A fresh state folder; the warehouse and Dagster instance live inside it."""
    home = tmp_path / "kabar-home"
    monkeypatch.setenv("KABAR_HOME", str(home))
    monkeypatch.delenv("KABAR_WAREHOUSE", raising=False)
    monkeypatch.delenv("KABAR_INBOX", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    return home

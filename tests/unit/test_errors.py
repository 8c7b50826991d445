"""A full disk named and located, whatever disguise the error wears (the e2e test fills a real disk)."""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections import namedtuple

import pytest

import orchestration.errors as errors
from orchestration.errors import disk_full_message, live_errors, serialised_errors

Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def full(monkeypatch, tmp_path):
    """``tmp_path/full`` has 8 KB left; every other folder plenty."""
    full_place = tmp_path / "full"
    full_place.mkdir()
    real = shutil.disk_usage
    monkeypatch.setattr(errors.shutil, "disk_usage",
                        lambda path: Usage(10**9, 10**9, 8192) if str(path).startswith(str(full_place)) else real(path))
    return full_place


def test_an_os_error_names_the_folder_of_its_file(full):
    error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(full / "raw" / "ab" / "x.part"))
    assert disk_full_message(live_errors(error), []) == f"no space left on device: {full / 'raw' / 'ab'} (8192 bytes free)"


def test_sqlite_and_a_hidden_cause_name_the_full_folder(full, tmp_path):
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise RuntimeError("cannot rollback - no transaction is active")   # the clean-up's error on top
    except RuntimeError as error:
        wrapped = error
    assert disk_full_message(live_errors(wrapped), [tmp_path / "elsewhere", full]) == (
        f"no space left on device: {full} (8192 bytes free)")


def test_a_disk_io_error_is_a_full_disk_only_when_a_disk_is_full(full, tmp_path):
    error = sqlite3.OperationalError("disk I/O error")
    assert disk_full_message(live_errors(error), [tmp_path / "elsewhere"]) is None
    assert disk_full_message(live_errors(error), [full]).startswith(f"no space left on device: {full}")


def test_a_failed_steps_serialised_error_is_read_too(full):
    Info = namedtuple("Info", "message cause context")
    step = Info("DagsterExecutionStepExecutionError: Error occurred while executing op",
                Info("IOException: IO Error: Could not write file: No space left on device", None, None), None)
    assert disk_full_message(serialised_errors(step), [full]) == f"no space left on device: {full} (8192 bytes free)"
    assert disk_full_message(serialised_errors(Info("ValueError: bad", None, None)), [full]) is None

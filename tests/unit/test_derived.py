"""The on-disk cache of derived lookup tables: read back when nothing changed, derived again when the
source, the settings or the code changed, and never in the way when the cache is broken."""
import os
import pickle

import pytest

from transforms import derived as derived_module
from transforms.derived import CACHE_ENV, derived


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("alpha beta gamma")
    return path


calls = []


def _words(path):
    calls.append(path)
    return frozenset(path.read_text().split())


def _upper_words(path):
    calls.append(path)
    return frozenset(path.read_text().upper().split())


def test_a_derived_table_is_read_back_instead_of_derived_again(cache, source):
    calls.clear()
    assert derived("words", source, _words) == {"alpha", "beta", "gamma"}
    assert derived("words", source, _words) == {"alpha", "beta", "gamma"}
    assert len(calls) == 1
    assert len(list(cache.glob("words-*.pickle"))) == 1


def test_a_changed_source_settings_or_code_is_derived_again_and_replaces_the_old_table(cache, source):
    calls.clear()
    derived("words", source, _words)
    source.write_text("delta epsilon")
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 1_000_000))
    assert derived("words", source, _words) == {"delta", "epsilon"}
    assert derived("words", source, _words, 2) == {"delta", "epsilon"}
    assert derived("words", source, _upper_words) == {"DELTA", "EPSILON"}
    assert len(calls) == 4
    assert len(list(cache.glob("words-*.pickle"))) == 1


def test_a_corrupt_table_is_derived_again(cache, source):
    calls.clear()
    derived("words", source, _words)
    [stored] = cache.glob("words-*.pickle")
    stored.write_bytes(b"not a pickle")
    assert derived("words", source, _words) == {"alpha", "beta", "gamma"}
    assert len(calls) == 2
    assert pickle.loads(stored.read_bytes()) == {"alpha", "beta", "gamma"}


def test_a_cache_that_cannot_be_written_still_gives_the_table(tmp_path, source, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))   # a folder under a file: cannot be created
    assert derived("words", source, _words) == {"alpha", "beta", "gamma"}


def test_a_missing_source_is_left_to_the_deriving_function(cache, tmp_path):
    with pytest.raises(FileNotFoundError):
        derived("words", tmp_path / "missing.txt", _words)


def test_the_cache_folder_defaults_to_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert derived_module.cache_dir() == tmp_path / "kabar"

"""The storage under the raw store: objects written whole, listed by prefix, the same through a folder
or a bucket (the bucket against a real S3 server: tests/cluster)."""
from __future__ import annotations

import os
import sys

import pytest

from warehouse.raw_store import RawStore
from warehouse.storage import LocalFolder, S3Bucket, StorageError, open_storage


def test_a_folder_holds_objects_by_key_and_lists_them_by_prefix(tmp_path):
    folder = LocalFolder(tmp_path / "store")
    assert folder.keys() == [] and not folder.exists("ab/one")
    folder.write("ab/one", b"1")
    folder.write("ab/two", b"2")
    folder.write("cd/three", b"3")
    folder.write("ab/one", b"one")   # replaced whole
    assert folder.read("ab/one") == b"one" and folder.exists("cd/three")
    assert folder.keys() == ["ab/one", "ab/two", "cd/three"] and folder.keys("ab/") == ["ab/one", "ab/two"]
    folder.delete(["ab/two", "ab/missing"])
    assert folder.keys() == ["ab/one", "cd/three"]


def test_a_write_that_fails_leaves_neither_the_object_nor_a_part_file(tmp_path, monkeypatch):
    folder = LocalFolder(tmp_path / "store")

    def full_disk(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        folder.write("ab/one", b"1")
    assert not folder.exists("ab/one") and list((tmp_path / "store").rglob("*")) == [tmp_path / "store" / "ab"]


def test_the_raw_store_keeps_a_document_once_compressed_under_its_id(tmp_path):
    folder = LocalFolder(tmp_path / "raw")
    store = RawStore(folder)
    page = b"<html><body>" + b"<p>Berita hari ini.</p>" * 200 + b"</body></html>"
    store.put("abcdef", page)
    store.put("abcdef", b"other bytes")   # the same id again: kept as first stored
    assert "abcdef" in store and "abcdee" not in store
    assert store.get("abcdef") == page
    assert folder.keys() == ["ab/abcdef.html.gz"] and len(folder.read("ab/abcdef.html.gz")) < len(page) / 5


def test_a_location_names_its_storage(tmp_path):
    assert isinstance(open_storage(tmp_path / "raw"), LocalFolder)
    bucket = open_storage("s3://kabar/raw/", s3_endpoint="http://127.0.0.1:1")
    assert isinstance(bucket, S3Bucket) and (bucket.bucket, bucket.prefix) == ("kabar", "raw")
    assert bucket.location == "s3://kabar/raw"


def test_a_bucket_without_the_s3_client_installed_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)   # as without `make install-cluster`
    with pytest.raises(StorageError, match=r"s3://kabar/raw needs the S3 client: `make install-cluster`"):
        open_storage("s3://kabar/raw").keys()

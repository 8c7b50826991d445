"""The raw store's storage behaves the same in a local folder and in a bucket of a real S3 server."""
from __future__ import annotations

import pytest

from pipeline.config import Config
from pipeline.ingest import open_raw_store
from warehouse.storage import LocalFolder, S3Bucket, open_storage


@pytest.fixture(params=["folder", "bucket"])
def storage(request, tmp_path):
    if request.param == "folder":
        return LocalFolder(tmp_path / "store")
    bucket = request.getfixturevalue("bucket")
    return open_storage(f"s3://{bucket}/kabar/raw", s3_endpoint=request.getfixturevalue("s3_env").endpoint)


def test_objects_are_kept_by_key_and_listed_by_prefix(storage):
    assert storage.keys() == [] and not storage.exists("ab/one")
    for key, data in (("ab/one", b"1"), ("ab/two", b"2"), ("cd/three", b"3"), ("ab/one", b"one")):
        storage.write(key, data)
    assert storage.read("ab/one") == b"one" and storage.exists("cd/three") and not storage.exists("ab")
    assert storage.keys() == ["ab/one", "ab/two", "cd/three"] and storage.keys("ab/") == ["ab/one", "ab/two"]
    storage.delete(["ab/two", "ab/missing"])
    assert storage.keys() == ["ab/one", "cd/three"]


def test_deleting_more_keys_than_one_request_takes(storage):
    keys = [f"k/{index:05d}" for index in range(1100)]
    for key in keys:
        storage.write(key, b"x")
    storage.delete(keys[:1050])
    assert storage.keys("k/") == keys[1050:]


def test_a_missing_object_is_a_clear_error(storage):
    with pytest.raises(Exception) as raised:
        storage.read("no/such/key")
    assert "no/such/key" in str(raised.value) or "NoSuchKey" in str(raised.value)


def test_the_configuration_puts_the_raw_store_in_a_bucket(tmp_path, bucket, s3_env):
    config = Config(home=tmp_path / "home", warehouse=tmp_path / "home" / "warehouse.duckdb",
                    raw_store=f"s3://{bucket}/raw", s3_endpoint=s3_env.endpoint)
    store = open_raw_store(config)
    store.put("abcdef", b"<html>page</html>")
    assert isinstance(store.storage, S3Bucket) and store.get("abcdef") == b"<html>page</html>"
    assert S3Bucket(bucket, endpoint_url=s3_env.endpoint).keys() == ["raw/ab/abcdef.html.gz"]
    assert not (tmp_path / "home" / "raw").exists()

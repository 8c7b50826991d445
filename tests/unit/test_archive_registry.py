"""Backfill partitions: a key per archive location (a path or a URL), with the hosts a backfill keeps."""
from __future__ import annotations

import json

import pytest

from pipeline.archive import Archive, ArchiveRegistry, UnknownPartition, partition_key
from warehouse.storage import LocalFolder


def test_keys_are_readable_and_tell_locations_apart(tmp_path):
    url = "https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/CC-NEWS-20240101012345-00042.warc.gz"
    key = partition_key(url)
    assert key.startswith("CC-NEWS-20240101012345-00042.warc.gz-") and key != partition_key(url + "?v=2")
    assert partition_key("s3://bucket/a/x.warc.gz") != partition_key("s3://bucket/b/x.warc.gz")
    assert partition_key(tmp_path / "x.warc.gz") == partition_key(str(tmp_path / "." / "x.warc.gz"))


def test_the_registry_keeps_locations_and_hosts(tmp_path):
    registry = ArchiveRegistry(LocalFolder(tmp_path / "staging"))
    local, url = tmp_path / "a.warc.gz", "http://127.0.0.1:8000/b.warc.gz"
    keys = registry.register([local, url], ("news.example",))
    assert [registry.archive(key) for key in keys] == [Archive(str(local), ("news.example",)),
                                                       Archive(url, ("news.example",))]
    assert registry.register([url]) == keys[1:] and registry.archive(keys[1]) == Archive(url)   # hosts replaced
    with pytest.raises(UnknownPartition):
        registry.archive("nothing-0000000000")


def test_a_registry_of_an_earlier_version_in_kabar_home_still_reads_and_moves_beside_the_units(tmp_path):
    legacy = tmp_path / "warc_partitions.json"   # before hosts, and before the staging storage held it
    legacy.write_text(json.dumps({"a.warc.gz-0123456789": "/data/a.warc.gz"}))
    staging = LocalFolder(tmp_path / "staging")
    registry = ArchiveRegistry(staging, legacy=legacy)
    assert registry.archive("a.warc.gz-0123456789") == Archive("/data/a.warc.gz")
    key, = registry.register(["s3://bucket/b.warc.gz"])
    assert staging.exists(ArchiveRegistry.KEY)
    moved = ArchiveRegistry(staging)   # what a worker on another machine reads
    assert moved.archive("a.warc.gz-0123456789") == Archive("/data/a.warc.gz")
    assert moved.archive(key) == Archive("s3://bucket/b.warc.gz")

"""Where the raw store and staging keep their bytes: one small interface, a local folder or a bucket of an
S3-compatible object store, so the same pipeline runs on one machine or on several sharing a bucket.

Keys are ``/``-separated relative names (``ab/abcdef….html.gz``). An object is written whole and is
visible under its key only once complete: a temporary file renamed into place, or one S3 PUT.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Protocol

_PART = ".part"
_S3_DELETE_BATCH = 1000   # the most keys one DeleteObjects request takes
_S3_STREAM_PIECE = 1024 * 1024   # what ``S3Bucket.stream`` reads at once


class StorageError(RuntimeError):
    """A storage location Kabar cannot use as configured."""


class Storage(Protocol):
    location: str   # a folder or s3://bucket/prefix, for messages

    def write(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def keys(self, prefix: str = "") -> list[str]: ...
    def delete(self, keys: Iterable[str]) -> None: ...


class LocalFolder:
    """Objects as files under ``root``."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.location = str(self.root)

    def write(self, key: str, data: bytes) -> None:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=_PART)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        return (self.root / key).read_bytes()

    def exists(self, key: str) -> bool:
        return (self.root / key).is_file()

    def keys(self, prefix: str = "") -> list[str]:
        """Every complete object whose key starts with ``prefix``, in key order."""
        if not self.root.is_dir():
            return []
        found = (path.relative_to(self.root).as_posix() for path in self.root.rglob("*")
                 if path.is_file() and not path.name.endswith(_PART))
        return sorted(key for key in found if key.startswith(prefix))

    def delete(self, keys: Iterable[str]) -> None:
        """Remove ``keys``, and the folders they leave empty (a bucket has no folders to leave behind)."""
        for key in keys:
            path = self.root / key
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == self.root or not folder.is_relative_to(self.root):
                    break
                try:
                    folder.rmdir()
                except OSError:   # not empty, or already gone
                    break


class S3Bucket:
    """Objects under ``prefix`` in an S3 bucket, through a boto3 client (credentials from the
    environment: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``; never from a committed file)."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None, client=None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.location = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.endpoint_url = endpoint_url
        if client is not None:
            self.client = client

    @cached_property
    def client(self):
        try:
            import boto3   # only the cluster deployment installs it
        except ImportError:
            raise StorageError(f"{self.location} needs the S3 client: `make install-cluster`") from None
        return boto3.client("s3", endpoint_url=self.endpoint_url)

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def write(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()

    def stream(self, key: str) -> Iterator[bytes]:
        """The object under ``key`` in pieces as the server sends it, so an archive of gigabytes is never
        held whole; ``StorageError`` when it cannot be read (missing, refused, cut off)."""
        client = self.client
        from botocore.exceptions import BotoCoreError, ClientError   # installed with boto3

        try:
            body = client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
            try:
                yield from body.iter_chunks(_S3_STREAM_PIECE)
            finally:
                body.close()
        except (BotoCoreError, ClientError) as error:
            raise StorageError(f"s3://{self.bucket}/{self._name(key)}: {error}") from None

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def keys(self, prefix: str = "") -> list[str]:
        start = len(self.prefix) + 1 if self.prefix else 0
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._name(prefix))
        return sorted(item["Key"][start:] for page in pages for item in page.get("Contents", []))

    def delete(self, keys: Iterable[str]) -> None:
        names = [self._name(key) for key in keys]
        for first in range(0, len(names), _S3_DELETE_BATCH):
            batch = [{"Key": name} for name in names[first:first + _S3_DELETE_BATCH]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})


def open_storage(location: str | Path, *, s3_endpoint: str | None = None) -> Storage:
    """``s3://bucket/prefix`` as an ``S3Bucket`` (at ``s3_endpoint``, else AWS), anything else as a
    local folder."""
    text = str(location)
    if text.startswith("s3://"):
        bucket, _, prefix = text.removeprefix("s3://").partition("/")
        return S3Bucket(bucket, prefix, endpoint_url=s3_endpoint)
    return LocalFolder(Path(location))

"""Fixtures of the cluster tests (`make test-cluster`): real servers on 127.0.0.1, one per session."""
from __future__ import annotations

import uuid

import pytest

from tests.servers import PostgresServer, S3Server, postgres, redis, seaweedfs


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> S3Server:
    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@pytest.fixture
def s3_env(s3_server, monkeypatch) -> S3Server:
    """The S3 server's credentials in this process's environment, as a deployment sets them."""
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)
    return s3_server


@pytest.fixture
def bucket(s3_env) -> str:
    """A new, empty bucket."""
    import boto3

    name = f"kabar-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_env.endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    with postgres() as server:
        yield server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    with redis(tmp_path_factory.mktemp("redis")) as url:
        yield url

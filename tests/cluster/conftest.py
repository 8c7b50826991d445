"""Fixtures of the cluster tests (`make test-cluster`): real servers on 127.0.0.1, one per session."""
from __future__ import annotations

import os
import uuid

import pytest

from tests.holders import ROOT
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


@pytest.fixture
def plain_env() -> dict[str, str]:
    """This process's environment without any KABAR_ setting: a local deployment's."""
    return {name: value for name, value in os.environ.items() if not name.startswith("KABAR_")}


@pytest.fixture
def cluster_env(plain_env, bucket, s3_env, postgres_server, redis_url) -> dict[str, str]:
    """The settings every machine of the deployment shares (deploy/cluster.env.example), on the test's
    servers: instance in PostgreSQL, raw store, staging and step outputs in a new bucket, Celery on Redis."""
    return {**plain_env, **s3_env.env, **postgres_server.env, "KABAR_DAGSTER_YAML": str(ROOT / "deploy" / "dagster.yaml"),
            "KABAR_S3_ENDPOINT": s3_env.endpoint, "KABAR_S3_BUCKET": bucket, "KABAR_RAW_STORE": f"s3://{bucket}/raw",
            "KABAR_STAGING": f"s3://{bucket}/staging", "KABAR_DAGSTER_IO": f"s3://{bucket}/dagster-io",
            "KABAR_CELERY_BROKER": redis_url}

"""Fixtures of the cluster tests (`make test-cluster`): real servers on 127.0.0.1, one per session."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from orchestration.settings import prepare_dagster_home
from pipeline.config import load_config
from tests.servers import PostgresServer, S3Server, deployment_env, new_bucket, postgres, redis, seaweedfs


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
    return new_bucket(s3_env)


@pytest.fixture(scope="session")
def _postgres() -> PostgresServer:
    with postgres() as server:
        yield server


@pytest.fixture
def postgres_server(_postgres) -> PostgresServer:
    """The session's PostgreSQL with a database of the test's own (no runs of another test in it)."""
    return _postgres.new_database()


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
    """The deployment's shared settings on the test's servers, with a bucket of the test's own."""
    return deployment_env(plain_env, s3_env, bucket, postgres_server, redis_url)


@dataclass(frozen=True)
class ClusterHome:
    env: dict[str, str]   # the deployment's settings with KABAR_HOME
    dagster_home: Path
    instance: dg.DagsterInstance   # the shared instance (PostgreSQL), as the test process reads it


@pytest.fixture
def cluster_home(tmp_path, cluster_env, monkeypatch) -> ClusterHome:
    """A `kabar` home on the cluster deployment, prepared as a `kabar` command prepares it, and its instance."""
    env = {**cluster_env, "KABAR_HOME": str(tmp_path / "cluster")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)   # deploy/dagster.yaml reads its settings from the environment
    dagster_home = prepare_dagster_home(load_config(env))
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        yield ClusterHome(env, dagster_home, instance)

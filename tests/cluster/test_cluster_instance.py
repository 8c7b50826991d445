"""`kabar run` on the cluster deployment's instance (deploy/dagster.yaml): runs and events in a real
PostgreSQL, step logs and the raw store and staging in a real S3 server; the same rows as a local run."""
from __future__ import annotations

import os
import subprocess
import sys

import psycopg2

from pipeline.config import BUNDLED_SAMPLES
from tests.holders import ROOT
from tests.servers import PostgresServer, S3Server
from tests.warehouse_rows import warehouse_rows
from warehouse.storage import S3Bucket


def _kabar(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _run_statuses(server: PostgresServer) -> list[str]:
    with psycopg2.connect(host="127.0.0.1", port=server.port, user="kabar", password="kabar-test",
                          dbname=server.env["KABAR_PG_DB"]) as connection, connection.cursor() as cursor:
        cursor.execute("select status from runs")
        return [status for (status,) in cursor.fetchall()]


def test_a_run_on_the_cluster_instance_is_recorded_in_postgres_and_loads_what_a_local_run_loads(
        tmp_path, bucket, s3_env: S3Server, postgres_server: PostgresServer):
    base = {name: value for name, value in os.environ.items() if not name.startswith("KABAR_")}
    local = {**base, "KABAR_HOME": str(tmp_path / "local")}
    cluster = {**base, **s3_env.env, **postgres_server.env, "KABAR_HOME": str(tmp_path / "cluster"),
               "KABAR_DAGSTER_YAML": str(ROOT / "deploy" / "dagster.yaml"), "KABAR_S3_ENDPOINT": s3_env.endpoint,
               "KABAR_S3_BUCKET": bucket, "KABAR_RAW_STORE": f"s3://{bucket}/raw",
               "KABAR_STAGING": f"s3://{bucket}/staging"}
    for env in (local, cluster):
        done = _kabar(env, "run", str(BUNDLED_SAMPLES))
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert _run_statuses(postgres_server) == ["SUCCESS"]
    assert not (tmp_path / "cluster" / "dagster" / "history").exists()   # no SQLite run storage
    objects = S3Bucket(bucket, endpoint_url=s3_env.endpoint)
    assert objects.keys("compute-logs/") and objects.keys("raw/") and objects.keys("staging/") == []
    assert warehouse_rows(tmp_path / "cluster" / "warehouse.duckdb") == warehouse_rows(tmp_path / "local" / "warehouse.duckdb")

"""The batch core with its raw store and staging in a bucket of a real S3 server loads exactly what it
loads from local folders."""
from __future__ import annotations

from pipeline.config import BUNDLED_SAMPLES, Config
from pipeline.run import run_batch
from tests.warehouse_rows import warehouse_rows
from warehouse.storage import S3Bucket


def test_a_batch_through_a_bucket_loads_what_a_batch_through_folders_loads(tmp_path, bucket, s3_env):
    local = Config(home=tmp_path / "local", warehouse=tmp_path / "local" / "warehouse.duckdb")
    shared = Config(home=tmp_path / "worker", warehouse=tmp_path / "worker" / "warehouse.duckdb",
                    raw_store=f"s3://{bucket}/raw", staging=f"s3://{bucket}/staging", s3_endpoint=s3_env.endpoint)
    local_report, shared_report = run_batch(local, [BUNDLED_SAMPLES]), run_batch(shared, [BUNDLED_SAMPLES])
    assert shared_report.accounted and shared_report.articles == local_report.articles > 0
    assert warehouse_rows(shared.warehouse) == warehouse_rows(local.warehouse)
    objects = S3Bucket(bucket, endpoint_url=s3_env.endpoint)
    assert objects.keys("staging/") == []   # loaded units are removed
    assert len(objects.keys("raw/")) == len(list((local.home / "raw").rglob("*.html.gz"))) > 0
    assert not (shared.home / "raw").exists() and not (shared.home / "staging").exists()

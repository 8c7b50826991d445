"""`kabar backfill s3://bucket/key` against a real S3 server (SeaweedFS on 127.0.0.1): the archive is read
from the bucket in pieces and loads exactly the rows a backfill of the same local file loads."""
from __future__ import annotations

import boto3

from orchestration.cli import main
from tests.warcs import sample_pages, write_archive
from tests.warehouse_rows import warehouse_rows
from warehouse.storage import S3Bucket


def test_a_backfill_from_a_bucket_loads_what_the_local_file_loads(kabar_home, tmp_path, bucket, s3_env, monkeypatch,
                                                                   capsys):
    archive = write_archive(tmp_path / "part.warc.gz", sample_pages(4))
    assert main(["backfill", str(archive)]) == 0
    local_rows = warehouse_rows(kabar_home / "warehouse.duckdb")
    boto3.client("s3", endpoint_url=s3_env.endpoint).upload_file(str(archive), bucket, "cc/part.warc.gz")
    remote_home = tmp_path / "remote-home"
    monkeypatch.setenv("KABAR_HOME", str(remote_home))
    monkeypatch.setenv("DAGSTER_HOME", str(remote_home / "dagster"))
    monkeypatch.setenv("KABAR_S3_ENDPOINT", s3_env.endpoint)
    location = f"s3://{bucket}/cc/part.warc.gz"
    assert main(["backfill", location]) == 0
    assert warehouse_rows(remote_home / "warehouse.duckdb") == {
        table: sorted(row.replace(str(archive), location) for row in rows) for table, rows in local_rows.items()}
    capsys.readouterr()
    assert main(["backfill", "--quiet", f"s3://{bucket}/cc/missing.warc.gz"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"cannot read s3://{bucket}/cc/missing.warc.gz" in err[0] and "NoSuchKey" in err[0]


def test_an_object_is_read_in_pieces(bucket, s3_env):
    objects = S3Bucket(bucket, endpoint_url=s3_env.endpoint)
    objects.write("big.bin", bytes(3 * 1024 * 1024 + 5))
    sizes = [len(piece) for piece in objects.stream("big.bin")]
    assert sum(sizes) == 3 * 1024 * 1024 + 5 and len(sizes) >= 4 and max(sizes) <= 1024 * 1024

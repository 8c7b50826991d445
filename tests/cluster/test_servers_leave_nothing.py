"""What `make test-cluster` starts it stops: every server and worker, by its PID, with every process it
started in turn (PostgreSQL's backends, the daemon's code server), and no file is left outside the
temporary folders it was given."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from orchestration.settings import prepare_dagster_home
from pipeline.config import load_config
from tests.servers import celery_worker, dagster_daemon, deployment_env, new_bucket, postgres, redis, seaweedfs

_PROC = Path("/proc")


def _processes() -> dict[int, tuple[int, str]]:
    """Every live process: its parent and command line."""
    found = {}
    for entry in _PROC.glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            found[int(entry.name)] = (parent, (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):   # gone meanwhile
            continue
    return found


def _tree(roots: set[int], processes: dict[int, tuple[int, str]]) -> set[int]:
    tree, grew = set(roots), True
    while grew:
        more = {pid for pid, (parent, _) in processes.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def _alive(pid: int) -> bool:
    try:
        return (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_every_server_and_worker_stops_with_all_it_started_and_leaves_no_file_behind(tmp_path, plain_env):
    temporary = Path(tempfile.gettempdir())
    before = set(os.listdir(temporary))
    earlier = _tree({os.getpid()}, _processes())   # the session's servers, started by other tests' fixtures
    with seaweedfs(tmp_path / "s3") as s3, postgres() as pg, redis(tmp_path / "redis") as broker:
        env = {**deployment_env(plain_env, s3, new_bucket(s3), pg.new_database(), broker), "KABAR_HOME": str(tmp_path / "home")}
        dagster_home = prepare_dagster_home(load_config(env))
        with celery_worker("worker", ["dagster"], env, tmp_path / "workers"), \
                dagster_daemon(env, dagster_home, tmp_path / "daemon"):
            processes = _processes()
            postmaster = {pid for pid, (_, command) in processes.items() if str(pg.sockets) in command}
            started = _tree({os.getpid()} | postmaster, processes) - earlier
            commands = " ".join(command for pid, (_, command) in processes.items() if pid in started)
            assert postmaster and all(name in commands for name in ("weed", "redis-server", "celery", "dagster-daemon",
                                                                    "postgres"))
    assert [processes[pid][1] for pid in started if _alive(pid)] == []
    assert sorted(set(os.listdir(temporary)) - before) == []

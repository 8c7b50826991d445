"""Dagster the way its users start it: `dagster` and `dg` find the definitions in the repo with no
arguments (``[tool.dagster]`` / ``[tool.dg]`` in pyproject.toml), and `kabar ui` serves them on
127.0.0.1 and stops on Ctrl-C without a traceback."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "KABAR_HOME": str(tmp_path / "home"), "DAGSTER_HOME": str(tmp_path / "dagster"),
            "DAGSTER_DISABLE_TELEMETRY": "yes", "HOME": str(tmp_path)}


@pytest.mark.parametrize("command", [["dg", "check", "defs"], ["dagster", "definitions", "validate"]])
def test_dg_and_dagster_load_the_definitions_with_no_arguments(tmp_path, command):
    (tmp_path / "dagster").mkdir()
    done = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=REPO, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no [tool.dagster] block" not in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_served(url: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "kabar ui exited before it served"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing served at {url}")


def test_kabar_ui_serves_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = _free_port()
    server = subprocess.Popen([str(BIN / "kabar"), "ui", "--port", str(port)], cwd=tmp_path, env=_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        _wait_until_served(f"http://127.0.0.1:{port}/server_info", server)
        os.killpg(server.pid, signal.SIGINT)   # what a terminal's Ctrl-C does: the whole process group
        output, _ = server.communicate(timeout=120)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode == 0, output
    assert "Traceback" not in output and "SupersessionWarning" not in output
    assert output.rstrip().endswith("kabar: the Dagster UI stopped")


def test_kabar_ui_takes_its_server_down_when_it_is_terminated(tmp_path):
    port = _free_port()
    server = subprocess.Popen([str(BIN / "kabar"), "ui", "--port", str(port)], cwd=tmp_path, env=_env(tmp_path),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_until_served(f"http://127.0.0.1:{port}/server_info", server)
        server.terminate()   # SIGTERM to `kabar` alone, as a supervisor sends it
        server.wait(timeout=120)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _answers(port):
            time.sleep(0.5)
        assert not _answers(port), "the Dagster UI outlived kabar ui"
    finally:
        if _group_alive(server.pid):   # whatever is left of the process group, stopped by its id
            os.killpg(server.pid, signal.SIGKILL)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2):
            return True
    except OSError:
        return False


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False

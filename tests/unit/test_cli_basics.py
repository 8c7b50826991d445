"""What the CLI does before any work: it finds the home the same way from any directory
(``pipeline.home``) and says where it looked, prints its version and help, and refuses a busy port in
one line."""
from __future__ import annotations

import pytest

from orchestration.cli import main
from pipeline.home import find_home


def test_kabar_home_wins(tmp_path):
    home = find_home({"KABAR_HOME": str(tmp_path / "h"), "HOME": str(tmp_path)}, cwd=tmp_path)
    assert (home.path, home.how) == (tmp_path / "h", "KABAR_HOME")


def test_the_nearest_dot_kabar_here_or_above(tmp_path):
    (tmp_path / ".kabar").mkdir()
    (tmp_path / "a" / ".kabar").mkdir(parents=True)
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_home({}, cwd=deep).path == tmp_path / "a" / ".kabar"
    assert find_home({}, cwd=tmp_path).path == tmp_path / ".kabar"


def test_else_the_per_user_data_folder(tmp_path):
    (tmp_path / "work").mkdir()
    assert find_home({"HOME": str(tmp_path / "u")}, cwd=tmp_path / "work").path == tmp_path / "u/.local/share/kabar"
    found = find_home({"XDG_DATA_HOME": str(tmp_path / "data")}, cwd=tmp_path / "work")
    assert found.path == tmp_path / "data" / "kabar" and "per-user" in found.how


def test_a_missing_warehouse_says_where_kabar_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KABAR_HOME", raising=False)
    monkeypatch.delenv("KABAR_WAREHOUSE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert main(["sql", "select 1"]) == 1
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and str(tmp_path / "data" / "kabar" / "warehouse.duckdb") in error
    assert f"no .kabar in {tmp_path} or above" in error


def test_version_and_bare_kabar(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("kabar ")
    assert main([]) == 0
    assert "usage: kabar" in capsys.readouterr().out


def test_a_busy_port_is_one_line_before_the_ui_starts(tmp_path, monkeypatch, capsys):
    import socket

    monkeypatch.setenv("KABAR_HOME", str(tmp_path / "home"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["ui", "--host", "127.0.0.1", "--port", str(port)]) == 1
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and f"127.0.0.1:{port}" in error and "--port" in error
    assert not (tmp_path / "home").exists()   # nothing prepared for a UI that cannot start


@pytest.mark.parametrize("target", ["a-file/sub", "a-file"])
def test_an_export_folder_that_cannot_be_made_is_one_line(tmp_path, monkeypatch, capsys, target):
    from warehouse.io import open_warehouse

    monkeypatch.setenv("KABAR_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    with open_warehouse(tmp_path / "home" / "warehouse.duckdb"):
        pass
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["export", "--parquet", str(tmp_path / target)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"kabar: cannot write the export to {tmp_path / target}") and "\n" not in error
    assert not (tmp_path / "home" / "logs").exists()   # a user error, not a crash


def test_a_port_left_in_time_wait_by_a_stopped_ui_is_free():
    """Restarting the UI at once: the old server's closed connections keep its port in TIME_WAIT."""
    import socket

    from orchestration.cli import _check_port_free

    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the web server (uvicorn) binds
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = listener.accept()
        accepted.close()   # the server closes first: its side of the connection waits in TIME_WAIT
        client.close()
    _check_port_free("127.0.0.1", port)


def test_only_the_command_s_own_process_keeps_the_collector_off_what_lives_until_exit():
    """``kabar`` (``main()`` on the process's command line) freezes what lives until exit; ``main(argv)``
    from Python (a test, another program) leaves the caller's collector alone."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import gc, sys\n"
            "from orchestration.cli import main\n"
            "assert main(['--help-me-not']) == 2 and gc.get_freeze_count() == 0\n"
            "sys.argv = ['kabar']\n"
            "assert main() == 0 and gc.get_freeze_count() > 0\n")
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=True,
                   capture_output=True)

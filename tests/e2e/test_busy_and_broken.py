"""What users meet when things go wrong around a run: another run, a query, a kill, a full disk.

Every case ends in one `kabar:` line on the console (never a traceback) and, once the cause is gone,
a warehouse where every input is accounted for.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.orphans import RUN_PID
from tests.holders import hold_warehouse
from tests.pages import english_page, indonesian_page, news_page, write_inputs

KABAR = Path(sys.executable).parent / "kabar"
ROOT = Path(__file__).resolve().parents[2]


def kabar(home: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([str(KABAR), *args], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "KABAR_HOME": str(home), **env})


def finished(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def succeeded(process: subprocess.Popen) -> str:
    """The command's output, once it has exited 0 (or the failure with what it printed)."""
    code, out, err = finished(process)
    assert code == 0, err
    return out


def query(home: Path, sql: str) -> list[dict]:
    return json.loads(succeeded(kabar(home, "sql", sql, "--json")))


def accounting(home: Path) -> dict:
    """Per document: has an article, a reject, both or neither."""
    [row] = query(home, "select count(*) as documents, "
                        "count(*) filter (where a.document_id is null and r.document_id is null) as vanished, "
                        "(select count(*) from articles) as articles from documents d "
                        "left join (select distinct document_id from articles) a using (document_id) "
                        "left join (select distinct document_id from rejects) r using (document_id)")
    return row


def pages(folder: Path, prefix: str, count: int) -> Path:
    return write_inputs(folder, **{f"{prefix}{i}__html": indonesian_page(url=f"https://kabarnusa.co.id/{prefix}/{i}")
                                   for i in range(count)})


def test_two_runs_at_once_take_turns_and_lose_nothing(tmp_path):
    home = tmp_path / "home"
    first, second = pages(tmp_path / "a", "a", 6), pages(tmp_path / "b", "b", 6)
    shutil.copy(first / "a0.html", second / "same-as-a0.html")   # both runs see one page
    runs = [kabar(home, "run", "--quiet", str(first)), kabar(home, "run", "--quiet", str(second))]
    results = [finished(run) for run in runs]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    waited = [err for _, _, err in results if "waiting up to" in err]
    # The waiting run names the holder, or says it is starting when it comes between lock and holder record.
    assert len(waited) == 1 and re.fullmatch(rf"kabar: waiting up to 300 s for KABAR_HOME {home}, held by "
                                              r"(PID \d+, .*kabar run .*, since .*|a run that is starting)\n", waited[0])
    assert all("every one accounted for" in out for _, out, _ in results)
    assert accounting(home) == {"documents": 12, "vanished": 0, "articles": 12}


def test_a_second_run_refuses_in_one_line_when_told_not_to_wait(tmp_path):
    home = tmp_path / "home"
    first = kabar(home, "run", str(pages(tmp_path / "a", "a", 12)))
    lock = home / "writer.lock"
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    code, out, err = finished(kabar(home, "run", str(pages(tmp_path / "b", "b", 2)), KABAR_BUSY_TIMEOUT="0"))
    succeeded(first)
    assert code == 1 and out == ""
    assert re.fullmatch(rf"kabar: KABAR_HOME {home} is busy: held by PID {first.pid}, .*; waited 0 s "
                        r"\(KABAR_BUSY_TIMEOUT\); nothing was started\n", err)


def test_queries_during_a_run_and_a_run_during_a_query_both_succeed(tmp_path):
    home = tmp_path / "home"
    succeeded(kabar(home, "run", str(pages(tmp_path / "a", "a", 2))))
    # an analyst holds the file (a long query in another process) as a run starts: the run waits for it
    reader = hold_warehouse(home / "warehouse.duckdb", 4, read_only=True)
    run = kabar(home, "run", str(pages(tmp_path / "b", "b", 8)))
    queries = []
    while run.poll() is None:   # and queries keep coming while it runs: each waits for the loader if it must
        queries.append(finished(kabar(home, "sql", "select count(*) from articles", "--csv")))
    code, out, err = finished(run)
    assert code == 0 and "every one accounted for" in out, err
    assert queries and all(code == 0 for code, _, _ in queries), [err for _, _, err in queries]
    assert accounting(home) == {"documents": 10, "vanished": 0, "articles": 10}
    reader.wait()


def test_a_query_on_a_held_warehouse_names_the_holder_in_one_line(tmp_path):
    home = tmp_path / "home"
    succeeded(kabar(home, "run", str(pages(tmp_path / "a", "a", 1))))
    holder = hold_warehouse(home / "warehouse.duckdb", 30)
    try:
        code, out, err = finished(kabar(home, "sql", "select 1", KABAR_BUSY_TIMEOUT="0"))
        assert code == 1 and out == ""
        assert re.fullmatch(rf"kabar: the warehouse {home / 'warehouse.duckdb'} is busy: held by PID {holder.pid}: "
                            r".*python.*; waited 0 s \(KABAR_BUSY_TIMEOUT\)\n", err), err
    finally:
        holder.kill()
        holder.wait()


def run_processes(home: Path, run_pid: int) -> list[int]:
    """Processes started by the run whose main process is ``run_pid`` (they carry its PID)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"{RUN_PID}={run_pid}".encode() in environment and int(entry.name) != run_pid:
            found.append(int(entry.name))
    return found


def long_pages(folder: Path, count: int) -> Path:
    """``count`` pages long enough (about 60,000 characters of text each) that worker processes are still
    busy with them when the test kills the run."""
    body = [f"Update {index}: {sentence}" for index in range(300) for sentence in
            ["Dock workers at the Port of Melbourne walked off the job on Monday, halting container traffic."]]
    return write_inputs(folder, **{f"long{i}__html": news_page(title=f"Long {i}", body=body, language="en",
                                                              url=f"https://harbourtimes.com.au/long/{i}",
                                                              published=None) for i in range(count)})


def test_a_killed_run_leaves_no_worker_processes_once_the_next_run_starts(tmp_path):
    home = tmp_path / "home"
    killed = kabar(home, "run", "--workers", "2", str(long_pages(tmp_path / "long", 70)))   # on worker processes
    deadline = time.monotonic() + 240
    while len(run_processes(home, killed.pid)) < 3 and time.monotonic() < deadline:   # forkserver, tracker, workers
        time.sleep(0.1)
    assert len(run_processes(home, killed.pid)) >= 3
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    code, out, err = finished(kabar(home, "run", str(pages(tmp_path / "next", "n", 1))))
    assert code == 0, err
    assert run_processes(home, killed.pid) == []
    assert "its process died before it finished" in out and accounting(home)["vanished"] == 0


CRASHING_PARSER = """
import os, signal
import pipeline.process as process
_real = process.process_document
def _crashing(data, **kwargs):
    if b"Halaman ini mematikan parser" in data:
        os.kill(os.getpid(), signal.SIGSEGV)
    return _real(data, **kwargs)
process.process_document = _crashing
"""


def test_a_page_that_kills_its_worker_is_rejected_on_the_retry_and_the_run_loads_the_rest(tmp_path):
    """On the multiprocess executor a segfaulting parser kills one chunk step; Dagster retries it and the
    retry rejects the page it died on. (Every Python process of the run gets the crashing parser through
    a ``sitecustomize`` module, the forkserver's step processes too.)"""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(CRASHING_PARSER)
    inputs = pages(tmp_path / "in", "p", 3)
    (inputs / "killer.html").write_text(indonesian_page(url="https://kabarnusa.co.id/k").replace(
        "Senin.", "Senin. Halaman ini mematikan parser."))
    home = tmp_path / "home"
    code, out, err = finished(kabar(home, "run", "--workers", "2", str(inputs), PYTHONPATH=str(hook)))
    assert code == 0, err
    assert re.search(r"articles\s+3\n", out) and re.search(r"extraction_error\s+1\n", out), out
    [reject] = query(home, "select origin, detail from rejects")
    assert reject["origin"].endswith("killer.html") and "its process died extracting it" in reject["detail"]
    assert accounting(home)["vanished"] == 0


FAILING_STEP = """
import sys
import pipeline.load as load
def broken(*args, **kwargs):
    raise RuntimeError("the loading step broke\\nwith a second line")
load.settle = broken
from orchestration.cli import main
sys.exit(main(["run", "--quiet", sys.argv[1]]))
"""


def test_a_failed_step_is_one_line_on_the_console_and_its_trace_stays_in_the_run(tmp_path):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    result = subprocess.run([sys.executable, "-c", FAILING_STEP, str(inputs)], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "KABAR_HOME": str(tmp_path / "home")})
    assert result.returncode == 1
    assert re.fullmatch(r"kabar: step warehouse_tables failed: RuntimeError: the loading step broke "
                        r"\(details: `kabar ui`, run [0-9a-f-]+\)\n", result.stderr), result.stderr
    assert "Stack Trace" not in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_stops_a_run_with_exit_130_and_one_line(tmp_path):
    home = tmp_path / "home"
    run = kabar(home, "run", "--quiet", str(pages(tmp_path / "in", "p", 30)))
    deadline = time.monotonic() + 120
    while not (home / "dagster" / "storage").exists() and time.monotonic() < deadline:   # the Dagster run has begun
        time.sleep(0.05)
    time.sleep(1)
    run.send_signal(signal.SIGINT)
    code, _, err = finished(run)
    assert code == 130 and err == "kabar: interrupted\n", err


def test_bad_settings_are_one_line(tmp_path):
    code, _, err = finished(kabar(tmp_path / "home", "run", str(ROOT / "samples"), KABAR_BUSY_TIMEOUT="soon"))
    assert code == 1 and err == "kabar: KABAR_BUSY_TIMEOUT must be a number 0 or more, not 'soon'\n"


# --- a full disk ----------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 48 MB tmpfs (CI runs as root); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.decode().strip()}): needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as handle:
        handle.truncate(0)
    subprocess.run(["fallocate", "-l", str(max(0, free - leave)), str(filler)], check=True)
    return filler


def test_a_full_disk_is_one_line_saying_where_and_a_run_after_freeing_space_completes(small_disk):
    home = small_disk / "home"
    code, _, err = finished(kabar(home, "run", str(ROOT / "samples")))
    assert code == 0, err
    footprint = sum(f.stat().st_size for f in home.rglob("*") if f.is_file())
    for leave in (100_000, footprint * 2 // 3):   # full before anything is stored, and late in the run
        shutil.rmtree(home)
        filler = fill(small_disk, leave)
        code, out, err = finished(kabar(home, "run", "--quiet", str(ROOT / "samples")))
        assert code == 1 and "Traceback" not in err
        assert re.fullmatch(rf"kabar: no space left on device: {home}\S* \(\d+ bytes free\)\n", err), err
        filler.unlink()
        code, out, err = finished(kabar(home, "run", str(ROOT / "samples")))
        assert code == 0 and "every one accounted for" in out, err
        assert accounting(home)["vanished"] == 0 and accounting(home)["documents"] == 29

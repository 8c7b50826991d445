"""Run ``kabar`` with a CPU-time stack sampler and write where the samples fell (``bench.stages`` starts it
as a child process: ``python -m bench.stage_sampler OUT.json kabar-arguments…``).

Every ``INTERVAL`` seconds of this process's CPU time (``ITIMER_PROF``) the main thread's stack is read
and the CPU time since the last sample counted for the innermost stage function on it
(``bench.stages.SAMPLED``), else for "other". Python runs a signal handler only between bytecodes, so
the signals of a long call into C (spaCy's network, lxml) arrive as one, right after it returns, in
the frame that made it: counting CPU time rather than samples gives that call its whole time. Unlike cProfile, which slows Python-heavy code several times more than C-heavy code (it made
htmldate look like 15 s per 1,000 documents where it takes under 1), sampling leaves the run at its speed.
"""
from __future__ import annotations

import json
import signal
import sys
import time
from collections import Counter
from pathlib import Path

INTERVAL = 0.005


def sample_run(out: Path, arguments: list[str], stages: dict[str, list[tuple[str, str]]]) -> int:
    wanted = {(suffix, name): stage for stage, functions in stages.items() for suffix, name in functions}
    seconds: Counter[str] = Counter()
    last = [time.process_time()]

    def on_sample(_signal, frame) -> None:
        now = time.process_time()
        elapsed, last[0] = now - last[0], now
        seconds[_stage(frame, wanted)] += elapsed

    signal.signal(signal.SIGPROF, on_sample)
    signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
    try:
        from orchestration.cli import main

        code = main(arguments)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    seconds["other"] += time.process_time() - last[0]
    out.write_text(json.dumps({"interval": INTERVAL, "seconds": seconds}))
    return code


def _stage(frame, wanted: dict[tuple[str, str], str]) -> str:
    """The stage of the innermost stage function on the stack from ``frame`` outwards; "other" if none."""
    while frame is not None:
        code = frame.f_code
        for (suffix, name), stage in wanted.items():
            if code.co_name == name and code.co_filename.endswith(suffix):
                return stage
        frame = frame.f_back
    return "other"


if __name__ == "__main__":
    from bench.stages import SAMPLED

    sys.exit(sample_run(Path(sys.argv[1]), sys.argv[2:], SAMPLED))

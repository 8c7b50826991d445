"""Progress on the console: the ticks steps log, summed per stage, drawn as a bar on a terminal and as
plain lines elsewhere; a fake clock and stream, never wall time."""
import io
import logging

from orchestration.progress import Bar, Lines, logged_here
from transforms.progress import LOGGER_NAME, Counter, Tick, counted, plan


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def ticks(progress, clock, stage, source, counts, total=None, unit="documents", every=1.0):
    for done in counts:
        clock.now += every
        progress.tick(Tick(stage, source, done, total, unit))


def test_the_bar_redraws_in_place_with_count_rate_and_eta():
    stream, clock = io.StringIO(), FakeClock()
    bar = Bar(stream, clock)
    bar.tick(Tick("processing", "plan", 0, 126, "documents"))
    ticks(bar, clock, "processing", "chunk-0", [32, 64])
    frames = stream.getvalue().split("\r")[1:]
    assert frames[-1] == "processing   ██████████░░░░░░░░░░  64/126 documents  32.0/s  ETA 2s\x1b[K"
    assert "\n" not in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("64/126 documents  32.0/s  ETA 2s\x1b[K\n")


def test_the_bar_redraws_at_most_ten_times_a_second_but_always_shows_the_end():
    stream, clock = io.StringIO(), FakeClock()
    bar = Bar(stream, clock)
    ticks(bar, clock, "processing", "chunk-0", range(1, 100), total=100, every=0.01)   # 99 ticks in ~1 s
    assert 9 <= stream.getvalue().count("\r") <= 12
    ticks(bar, clock, "processing", "chunk-0", [100], total=100, every=0.01)
    assert stream.getvalue().split("\r")[-1].startswith("processing   ████████████████████  100/100 documents")


def test_a_new_stage_ends_the_last_ones_line_and_sources_add_up():
    stream, clock = io.StringIO(), FakeClock()
    bar = Bar(stream, clock)
    ticks(bar, clock, "reading", "ingest", [5, 10])
    ticks(bar, clock, "processing", "plan", [0], total=10)
    ticks(bar, clock, "processing", "chunk-0", [3])
    ticks(bar, clock, "processing", "chunk-1", [4])
    reading, processing = stream.getvalue().split("\n")
    assert reading.split("\r")[-1] == "reading      10 documents  5.0/s\x1b[K"
    assert processing.split("\r")[-1].startswith("processing   ██████████████░░░░░░  7/10 documents")


def test_lines_come_at_the_start_every_tenth_or_five_seconds_and_the_end():
    stream, clock = io.StringIO(), FakeClock()
    lines = Lines(stream, clock)
    lines.tick(Tick("processing", "plan", 0, 100, "documents"))
    ticks(lines, clock, "processing", "chunk-0", [3, 6, 9, 12, *range(15, 30)])   # a tick a second
    lines.close()
    assert stream.getvalue().splitlines() == [
        "progress: processing 0/100 documents",
        "progress: processing 12/100 documents (3.0/s)",   # a tenth of the way
        "progress: processing 19/100 documents (2.1/s)",   # 5 s since the last line
        "progress: processing 20/100 documents (2.0/s)",   # two tenths
        "progress: processing 25/100 documents (1.7/s)",   # 5 s
        "progress: processing 29/100 documents (1.5/s)",   # the end
    ]


def test_lines_of_a_stage_without_a_total_and_no_repeated_end():
    stream, clock = io.StringIO(), FakeClock()
    lines = Lines(stream, clock)
    ticks(lines, clock, "reading", "ingest", [0, 40], every=2.0)
    ticks(lines, clock, "exporting", "out", [1, 2], total=2, unit="tables")
    lines.close()
    assert stream.getvalue().splitlines() == [
        "progress: reading 0 documents",
        "progress: reading 40 documents (20.0/s)",
        "progress: exporting 1/2 tables",
        "progress: exporting 2/2 tables (1.0/s)",
    ]


def test_counters_log_ticks_at_most_twice_a_second_and_at_the_end():
    seen, clock = [], FakeClock()
    logger = logging.getLogger(LOGGER_NAME)
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(Tick.parse(record.getMessage()))
    logger.addHandler(handler)
    try:
        plan("processing", 7)
        counter = Counter("processing", "chunk-0", clock=clock)
        for _ in counted(range(7), counter):   # finished when the items run out
            clock.now += 0.2
    finally:
        logger.removeHandler(handler)
    assert [(t.source, t.done, t.total) for t in seen] == [
        ("plan", 0, 7), ("chunk-0", 0, None), ("chunk-0", 3, None), ("chunk-0", 6, None), ("chunk-0", 7, None)]


def test_only_progress_messages_are_ticks():
    assert Tick.parse("documents in: 3") is None
    assert Tick.parse("progress {not json") is None
    tick = Tick("loading", "load", 2, 3, "steps")
    assert Tick.parse(tick.message()) == tick


def test_the_ticks_of_this_process_reach_the_console():
    stream, clock = io.StringIO(), FakeClock()
    lines = Lines(stream, clock)
    with logged_here(lines):
        Counter("exporting", "out", total=2, unit="tables").finish()
    Counter("exporting", "elsewhere", total=5, unit="tables")   # after: not shown
    assert stream.getvalue() == "progress: exporting 0/2 tables\nprogress: exporting 2/2 tables\n"

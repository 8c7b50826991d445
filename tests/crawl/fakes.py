"""Stand-ins the crawl tests share: a clock that never sleeps, and the one network they may reach."""
from __future__ import annotations

ALLOW_LOCAL = ("127.0.0.1/32",)


class FakeClock:
    """Monotonic time that only moves when slept through (or advanced by the test), keeping each wait."""

    def __init__(self):
        self.time = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds

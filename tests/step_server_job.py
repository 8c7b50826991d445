"""A one-step job whose step reports the process it was forked from (tests/unit/test_executors.py)."""
import os

import dagster as dg


@dg.op
def forked_from() -> int:
    return os.getppid()


@dg.job
def forked_from_job():
    forked_from()


def send_parent(pipe) -> None:
    """A multiprocessing target: send the process this one was forked from."""
    pipe.send(os.getppid())

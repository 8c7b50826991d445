"""Per-article stage failures: an exception on one article becomes that article's reject.

Every per-article step (quotes, sources, syndication signatures, and entities once their batched pass
has raised) runs each article inside ``guarded``; what raises is recorded as a failure row (``article_id``, ``reason`` =
``<stage>_error``, ``detail`` = the exception's type and message on one line) and the quality step holds
that article back, so one odd page never fails the run that carries it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from transforms.encoding import encodable

_DETAIL_CHARS = 300
T = TypeVar("T")


def one_line(error: BaseException) -> str:
    """"ValueError: Invalid IPv6 URL": the exception's type and message on one line, shortened."""
    message = " ".join(encodable(str(error)).split())
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= _DETAIL_CHARS else text[:_DETAIL_CHARS - 1] + "…"


def failure(stage: str, article_id: str, error: BaseException) -> dict:
    """The failure row of ``article_id`` in ``stage``."""
    return {"article_id": article_id, "reason": f"{stage}_error", "detail": one_line(error)}


def guarded(stage: str, article_id: str, work: Callable[[], T], failures: list[dict]) -> T | None:
    """``work()``, or None with a failure row appended when it raises."""
    try:
        return work()
    except Exception as error:   # noqa: BLE001 - any error of one article is that article's
        failures.append(failure(stage, article_id, error))
        return None


def failures_frame(rows: list[dict] | None = None):
    """The failure rows as a polars frame (``article_id``, ``reason``, ``detail``); polars is imported
    here so the CLI's error path can use ``one_line`` without it."""
    import polars as pl

    return pl.DataFrame(rows or [], schema={"article_id": pl.String, "reason": pl.String, "detail": pl.String})

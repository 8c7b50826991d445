"""The look Kabar's offline pages share (fonts, page width, headings, tables), so each page set's
stylesheet carries only what is its own; written out as one file beside the pages, nothing fetched."""
from __future__ import annotations

from pathlib import Path

BASE = Path(__file__).with_name("base.css")


def stylesheet(own: Path) -> bytes:
    """The shared rules, then the page set's own rules in ``own`` (which may override them)."""
    return BASE.read_bytes() + b"\n" + own.read_bytes()

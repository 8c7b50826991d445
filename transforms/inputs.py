"""Every kind of input as one stream of documents, so ingestion never cares where a page came from."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from transforms.documents import DEFAULT_MAX_DOCUMENT_BYTES, InputDocument, read_document_bytes
from transforms.warc import WarcCounts, is_warc_path, read_warc


def read_inputs(paths: list[Path], counts: WarcCounts | None = None,
                max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[InputDocument]:
    """The documents of ``paths`` (from ``discover_inputs``): a page file is one document, a WARC
    archive is streamed record by record; archives' skipped records are tallied in ``counts``."""
    for path in paths:
        if is_warc_path(path):
            yield from read_warc(path, counts, max_bytes)
        else:
            yield InputDocument(str(path), None, None, read_document_bytes(path, max_bytes))

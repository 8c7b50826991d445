"""Every kind of input as one stream of documents, so ingestion never cares where a page came from."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from transforms.documents import (DEFAULT_MAX_DOCUMENT_BYTES, InputDocument, Rejection, display_path,
                                  read_document_bytes)
from transforms.failures import one_line
from transforms.warc import WarcCounts, is_warc_path, read_warc

INGEST_ERROR = "ingest_error"


def read_inputs(paths: list[Path], counts: WarcCounts | None = None,
                max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Iterator[InputDocument]:
    """The documents of ``paths`` (from ``find_inputs``): a page file is one document, a WARC
    archive is streamed record by record; archives' skipped records are tallied in ``counts``.
    Whatever a reader raises ends that input with an ``ingest_error`` document, never the stream."""
    for path in paths:
        origin = display_path(path)
        try:
            if is_warc_path(path):
                yield from read_warc(path, counts, max_bytes)
            else:
                yield InputDocument(origin, None, None, read_document_bytes(path, max_bytes))
        except Exception as error:   # noqa: BLE001 - one input's failure is that input's reject
            yield InputDocument(origin, None, None, Rejection(INGEST_ERROR, one_line(error)))

"""Content-addressed store of raw input bytes (``$KABAR_HOME/raw``, or a bucket on a cluster).

Keeping the bytes lets ``kabar run --reprocess`` re-extract every document after an extractor or
NLP upgrade without the original inputs. Each document is written whole (``warehouse.storage``), so a
crash never leaves a half-written document under its final name.
"""
from __future__ import annotations

import gzip

from warehouse.storage import Storage


class RawStore:
    """``ab/abcdef….html.gz`` for document id ``abcdef…``, gzip-compressed (about a fifth of the size)."""

    def __init__(self, storage: Storage):
        self.storage = storage

    @staticmethod
    def key_for(document_id: str) -> str:
        return f"{document_id[:2]}/{document_id}.html.gz"

    def put(self, document_id: str, data: bytes) -> None:
        """Store ``data`` once; storing the same document again is a no-op."""
        key = self.key_for(document_id)
        if not self.storage.exists(key):
            self.storage.write(key, gzip.compress(data, compresslevel=3, mtime=0))

    def get(self, document_id: str) -> bytes:
        return gzip.decompress(self.storage.read(self.key_for(document_id)))

    def __contains__(self, document_id: str) -> bool:
        return self.storage.exists(self.key_for(document_id))

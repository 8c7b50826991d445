"""Content-addressed store of raw input bytes under ``$KABAR_HOME/raw``.

Keeping the bytes lets ``kabar run --reprocess`` re-extract every document after an extractor or
NLP upgrade without the original inputs. Files are written atomically (temp file + rename), so a
crash never leaves a half-written document under its final name.
"""
from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path


class RawStore:
    """``raw/ab/abcdef….html.gz`` for document id ``abcdef…``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, document_id: str) -> Path:
        return self.root / document_id[:2] / f"{document_id}.html.gz"

    def put(self, document_id: str, data: bytes) -> Path:
        """Store ``data`` once; storing the same document again is a no-op."""
        target = self.path_for(document_id)
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    def get(self, document_id: str) -> bytes:
        with gzip.open(self.path_for(document_id), "rb") as handle:
            return handle.read()

    def __contains__(self, document_id: str) -> bool:
        return self.path_for(document_id).exists()
